"use client";

import type { ReactNode } from "react";
import { Toaster, toast as sonner } from "sonner";
// Sonner also injects these rules at run time; shipping them in the stylesheet keeps toasts laid
// out under a CSP that blocks injected <style> elements.
import "sonner/dist/styles.css";
import { AlertCircleIcon, CheckCircleIcon, InfoIcon } from "./icons";

export type ToastApi = {
  success: (message: string) => void;
  error: (message: string) => void;
  info: (message: string) => void;
};

// Errors stay longer: they usually need reading, not just noticing. Sonner pauses the timer while
// a toast is hovered or focused and announces it in its live region.
const api: ToastApi = {
  success: (message) => sonner.success(message, { duration: 4000 }),
  info: (message) => sonner.info(message, { duration: 4000 }),
  error: (message) => sonner.error(message, { duration: 7000 }),
};

/** Mounts the toaster (sonner), styled with the console's tokens. */
export function ToastProvider({ children }: { children: ReactNode }) {
  return (
    <>
      {children}
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
    </>
  );
}

/** `toast.success(msg)`, `toast.error(msg)`, `toast.info(msg)`. */
export function useToast(): ToastApi {
  return api;
}
