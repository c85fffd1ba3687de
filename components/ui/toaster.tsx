"use client";

import { useEffect } from "react";
import { Toaster } from "sonner";
// Sonner also injects these rules at run time; a stylesheet keeps toasts laid out under a CSP that
// blocks injected <style> elements. Imported here, not in toast.tsx, so the 14 KB arrive with the
// toaster's own chunk instead of blocking every page's first paint (mobile Lighthouse, issue 13).
import "sonner/dist/styles.css";
import { AlertCircleIcon, CheckCircleIcon, InfoIcon } from "./icons";
import { toasterDidMount } from "./toaster-ready";

/** Sonner's toaster in the console's tokens; loaded by toast.tsx after the first paint. */
export function ConsoleToaster() {
  useEffect(() => toasterDidMount(), []);
  return (
    <Toaster
      position="bottom-right"
      visibleToasts={5}
      closeButton
      theme="system"
      icons={{
        success: <CheckCircleIcon className="text-green-600" />,
        error: <AlertCircleIcon className="text-red-600" />,
        info: <InfoIcon className="text-primary-600" />,
      }}
      toastOptions={{
        unstyled: true,
        classNames: {
          toast:
            "pointer-events-auto flex w-[22rem] max-w-[calc(100vw-2rem)] items-start gap-2.5 rounded-lg border border-line bg-surface py-2.5 pl-3 pr-8 text-sm text-ink shadow-lg",
          success: "border-green-200",
          error: "border-red-200",
          icon: "mt-0.5 shrink-0",
          content: "min-w-0 flex-1 break-words py-0.5",
          closeButton:
            "absolute right-1.5 top-2 flex size-6 items-center justify-center rounded-md text-ink-muted hover:bg-neutral-200/60 hover:text-ink",
        },
      }}
    />
  );
}
