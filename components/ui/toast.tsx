"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { IconButton } from "./button";
import { cn } from "./cn";
import { AlertCircleIcon, CheckCircleIcon, InfoIcon, XIcon } from "./icons";

type ToastKind = "success" | "error" | "info";
type ToastEntry = { id: number; kind: ToastKind; message: string };

export type ToastApi = {
  success: (message: string) => void;
  error: (message: string) => void;
  info: (message: string) => void;
};

const ToastContext = createContext<ToastApi | null>(null);

// Errors stay longer: they usually need reading, not just noticing.
const DURATION_MS: Record<ToastKind, number> = { success: 4000, info: 4000, error: 7000 };
const MAX_VISIBLE = 5;
let nextId = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((t) => t.id !== id)), []);

  const api = useMemo<ToastApi>(() => {
    const push = (kind: ToastKind) => (message: string) => {
      nextId += 1;
      const entry = { id: nextId, kind, message };
      setToasts((current) => [...current.slice(-(MAX_VISIBLE - 1)), entry]);
    };
    return { success: push("success"), error: push("error"), info: push("info") };
  }, []);

  return (
    <ToastContext.Provider value={api}>
      {children}
      {/* The live region is always mounted, so screen readers announce toasts added to it. */}
      <div
        aria-live="polite"
        aria-label="Notifications"
        role="region"
        className="pointer-events-none fixed bottom-4 right-4 z-[60] flex w-[22rem] max-w-[calc(100vw-2rem)] flex-col gap-2"
      >
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

const kindStyles: Record<ToastKind, { icon: ReactNode; className: string }> = {
  success: { icon: <CheckCircleIcon className="text-green-600" />, className: "border-green-200" },
  error: { icon: <AlertCircleIcon className="text-red-600" />, className: "border-red-200" },
  info: { icon: <InfoIcon className="text-primary-600" />, className: "border-line" },
};

function ToastItem({ toast, onDismiss }: { toast: ToastEntry; onDismiss: (id: number) => void }) {
  // Paused while hovered or focused, so a toast never vanishes while being read or reached.
  const [paused, setPaused] = useState(false);

  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => onDismiss(toast.id), DURATION_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [paused, toast, onDismiss]);

  const { icon, className } = kindStyles[toast.kind];
  return (
    <div
      data-toast={toast.kind}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      className={cn(
        "pointer-events-auto flex items-start gap-2.5 rounded-lg border bg-surface py-2.5 pl-3 pr-1.5 text-sm text-ink shadow-lg",
        className,
      )}
    >
      <span className="mt-0.5 shrink-0">{icon}</span>
      <p className="min-w-0 flex-1 break-words py-0.5">{toast.message}</p>
      <IconButton label="Dismiss notification" icon={<XIcon size={14} />} size="sm" onClick={() => onDismiss(toast.id)} />
    </div>
  );
}

/** `toast.success(msg)`, `toast.error(msg)`, `toast.info(msg)`; needs a ToastProvider above. */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast must be used inside <ToastProvider>");
  return api;
}
