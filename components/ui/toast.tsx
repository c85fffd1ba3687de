"use client";

import dynamic from "next/dynamic";
import type { ReactNode } from "react";
// Sonner also injects these rules at run time; shipping them in the stylesheet keeps toasts laid
// out under a CSP that blocks injected <style> elements.
import "sonner/dist/styles.css";
import { toasterMounted } from "./toaster-ready";

export type ToastApi = {
  success: (message: string) => void;
  error: (message: string) => void;
  info: (message: string) => void;
};

// Sonner loads after the first paint (no page needs a toast before someone acts): each call waits
// for the toaster to be mounted, so a toast raised early is shown, not dropped. Errors stay
// longer: they usually need reading, not just noticing. Sonner pauses the timer while a toast is
// hovered or focused and announces it in its live region.
const show = (kind: keyof ToastApi, message: string, duration: number) =>
  void toasterMounted.then(() => import("sonner")).then(({ toast }) => toast[kind](message, { duration }));

const api: ToastApi = {
  success: (message) => show("success", message, 4000),
  info: (message) => show("info", message, 4000),
  error: (message) => show("error", message, 7000),
};

const Toaster = dynamic(() => import("./toaster").then((module) => module.ConsoleToaster), { ssr: false });

/** Mounts the toaster (sonner, loaded after the page), styled with the console's tokens. */
export function ToastProvider({ children }: { children: ReactNode }) {
  return (
    <>
      {children}
      <Toaster />
    </>
  );
}

/** `toast.success(msg)`, `toast.error(msg)`, `toast.info(msg)`. */
export function useToast(): ToastApi {
  return api;
}
