"use client";

import { useEffect, useId, useImperativeHandle, useRef, type ComponentPropsWithRef, type ReactNode } from "react";
import { cn } from "./cn";

export type CheckboxProps = Omit<ComponentPropsWithRef<"input">, "type" | "children"> & {
  label: ReactNode;
  /** Keeps the label for assistive tech only (e.g. a "select all" header cell). */
  hideLabel?: boolean;
  description?: ReactNode;
  /** Mixed state, e.g. "select all" when only some rows are selected. */
  indeterminate?: boolean;
};

export function Checkbox({ label, hideLabel, description, indeterminate = false, id, className, ref, ...props }: CheckboxProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const descriptionId = description ? `${inputId}-description` : undefined;
  const innerRef = useRef<HTMLInputElement>(null);
  // The outer ref gets the same element; the inner one is needed to set `indeterminate`.
  useImperativeHandle(ref, () => innerRef.current as HTMLInputElement, []);

  // `indeterminate` exists only as a DOM property; re-apply it when `checked` changes because a
  // click clears it natively.
  useEffect(() => {
    if (innerRef.current) innerRef.current.indeterminate = indeterminate;
  }, [indeterminate, props.checked]);

  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input
        {...props}
        ref={innerRef}
        id={inputId}
        type="checkbox"
        aria-describedby={descriptionId}
        className="mt-0.5 size-4 shrink-0 rounded accent-primary-600 disabled:cursor-not-allowed"
      />
      <div className={cn("min-w-0 text-sm leading-5", hideLabel && "sr-only")}>
        <label htmlFor={inputId} className={cn("text-ink", props.disabled ? "text-ink-muted" : "cursor-pointer")}>
          {label}
        </label>
        {description && (
          <p id={descriptionId} className="text-xs text-ink-muted">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
