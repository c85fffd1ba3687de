import type { ReactNode } from "react";
import { cn } from "./cn";

export type TagColor = "neutral" | "success" | "warning" | "error" | "info";

const pillColors: Record<TagColor, string> = {
  neutral: "bg-neutral-100 text-neutral-700",
  success: "bg-green-50 text-green-700",
  warning: "bg-amber-50 text-amber-800",
  error: "bg-red-50 text-red-700",
  info: "bg-primary-50 text-primary-700",
};

const dotColors: Record<TagColor, string> = {
  neutral: "bg-neutral-400",
  success: "bg-green-500",
  warning: "bg-amber-500",
  error: "bg-red-500",
  info: "bg-primary-500",
};

export type TagProps = {
  color?: TagColor;
  /** "pill": tinted badge; "dot": coloured dot before plain text (status). */
  variant?: "pill" | "dot";
  children: ReactNode;
  className?: string;
};

export function Tag({ color = "neutral", variant = "pill", children, className }: TagProps) {
  if (variant === "dot") {
    return (
      <span className={cn("inline-flex items-center gap-1.5 text-sm text-ink", className)}>
        <span aria-hidden="true" className={cn("size-2 shrink-0 rounded-full", dotColors[color])} />
        {children}
      </span>
    );
  }
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium",
        pillColors[color],
        className,
      )}
    >
      {children}
    </span>
  );
}
