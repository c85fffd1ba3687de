"use client";

import dynamic from "next/dynamic";
import { useEffect, useState, type ReactNode } from "react";
import { toasterMounted, wantToaster, whenToasterWanted } from "./toaster-ready";

export type ToastApi = {
  success: (message: string) => void;
  error: (message: string) => void;
  info: (message: string) => void;
};

// Sonner is not part of the first paint (no page needs a toast before someone acts): its toaster
// mounts on the first click or key press anywhere, so its live region is in place before the
// action's toast, or at the latest when a toast is asked for; each toast waits for it, so none is
// dropped. Errors stay longer: they usually need reading, not just noticing. Sonner pauses the
// timer while a toast is hovered or focused and announces it in its live region.
const show = (kind: keyof ToastApi, message: string, duration: number) => {
  wantToaster();
  void toasterMounted.then(() => import("sonner")).then(({ toast }) => toast[kind](message, { duration }));
};

const api: ToastApi = {
  success: (message) => show("success", message, 4000),
  info: (message) => show("info", message, 4000),
  error: (message) => show("error", message, 7000),
};

const Toaster = dynamic(() => import("./toaster").then((module) => module.ConsoleToaster), { ssr: false });

/** Mounts the toaster (sonner, loaded on the first interaction), styled with the console's tokens. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    const stop = whenToasterWanted(() => setMounted(true));
    const events = ["pointerdown", "keydown"] as const;
    for (const type of events) window.addEventListener(type, wantToaster, { capture: true, once: true, passive: true });
    return () => {
      stop();
      for (const type of events) window.removeEventListener(type, wantToaster, { capture: true });
    };
  }, []);
  return (
    <>
      {children}
      {mounted && <Toaster />}
    </>
  );
}

/** `toast.success(msg)`, `toast.error(msg)`, `toast.info(msg)`. */
export function useToast(): ToastApi {
  return api;
}
