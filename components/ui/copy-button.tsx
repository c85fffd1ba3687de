"use client";

import { useEffect, useState } from "react";
import { Button, IconButton, type ButtonSize } from "./button";
import { cn } from "./cn";
import { CheckIcon, CopyIcon } from "./icons";

/**
 * Copies text; the Clipboard API exists only on secure origins (HTTPS, localhost), so plain-HTTP
 * deployments fall back to a hidden textarea and execCommand("copy").
 */
export async function copyToClipboard(text: string): Promise<boolean> {
  if (window.isSecureContext && typeof navigator.clipboard?.writeText === "function") {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or document not focused: try the legacy path below.
    }
  }
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.setAttribute("aria-hidden", "true");
  textarea.style.cssText = "position:fixed;top:0;left:0;opacity:0;pointer-events:none;";
  document.body.appendChild(textarea);
  textarea.focus();
  textarea.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    textarea.remove();
    previousFocus?.focus();
  }
}

type CopyState = "idle" | "copied" | "failed";
const FEEDBACK_MS = 2000;

export type CopyButtonProps = {
  value: string;
  /** Accessible name (icon) or visible text (button). */
  label?: string;
  /** "icon": icon button with a small bubble; "button": secondary button with text. */
  variant?: "icon" | "button";
  size?: ButtonSize;
  className?: string;
};

export function CopyButton({ value, label = "Copy", variant = "icon", size = "sm", className }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    setState((await copyToClipboard(value)) ? "copied" : "failed");
  }

  const feedback = state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "";
  const icon = state === "copied" ? <CheckIcon className="text-green-600" /> : <CopyIcon />;
  // The status region announces the result without changing the button's name.
  const status = (
    <span role="status" className="sr-only">
      {feedback}
    </span>
  );

  if (variant === "button") {
    return (
      <span className={cn("inline-flex", className)}>
        <Button variant="secondary" size={size} icon={icon} onClick={copy}>
          {/* All labels share one grid cell, so the width never changes. */}
          <span className="grid" aria-hidden="true">
            {[label, "Copied", "Copy failed"].map((text) => (
              <span key={text} className={cn("col-start-1 row-start-1", (feedback || label) !== text && "invisible")}>
                {text}
              </span>
            ))}
          </span>
          <span className="sr-only">{label}</span>
        </Button>
        {status}
      </span>
    );
  }

  return (
    <span className={cn("relative inline-flex", className)}>
      <IconButton label={label} icon={icon} size={size} onClick={copy} />
      {feedback && (
        <span
          aria-hidden="true"
          className="pointer-events-none absolute bottom-full left-1/2 mb-1 -translate-x-1/2 whitespace-nowrap rounded bg-neutral-900 px-1.5 py-0.5 text-xs text-white"
        >
          {feedback}
        </span>
      )}
      {status}
    </span>
  );
}
