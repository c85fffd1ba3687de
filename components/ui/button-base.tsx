// The console's buttons without tailwind-merge: styles, and a button whose classes are final. The
// islands of a page's first paint use `PlainButton` (no class overrides), so that paint ships no
// tailwind-merge (mobile Lighthouse, issue 13); `Button` (button.tsx) is the same plus `className`
// merged over the defaults.
import clsx from "clsx";
import type { ComponentPropsWithRef, ReactNode } from "react";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost" | "text";
export type ButtonSize = "sm" | "md" | "lg";

export const buttonBase =
  "relative inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap font-medium transition-colors disabled:cursor-not-allowed";

const variants: Record<ButtonVariant, string> = {
  primary: "rounded-md bg-primary-solid text-white shadow-xs hover:bg-primary-solid-hover disabled:opacity-50",
  secondary:
    "rounded-md border border-line-strong bg-surface text-ink shadow-xs hover:bg-neutral-50 disabled:text-ink-subtle disabled:hover:bg-surface",
  danger: "rounded-md bg-danger-solid text-white shadow-xs hover:bg-danger-solid-hover disabled:opacity-50",
  ghost: "rounded-md text-ink hover:bg-neutral-200/60 disabled:text-ink-subtle disabled:hover:bg-transparent",
  text: "rounded-sm text-primary-600 hover:text-primary-700 hover:underline disabled:text-ink-subtle disabled:no-underline",
};

// The "text" variant sits inline with copy, so it gets no box padding.
const sizes: Record<ButtonSize, string> = {
  sm: "h-7 px-2.5 text-xs",
  md: "h-9 px-4 text-sm",
  lg: "h-10 px-5 text-sm",
};
const textSizes: Record<ButtonSize, string> = { sm: "text-xs", md: "text-sm", lg: "text-base" };

/** Button classes, for elements that must look like a button (e.g. a Next `Link`). */
export function buttonStyles({ variant = "primary", size = "md" }: { variant?: ButtonVariant; size?: ButtonSize } = {}) {
  // Joined, not merged: base, variant and size never set the same property, and a button on the
  // first paint then needs no tailwind-merge (its first call builds a class map; issue 13).
  return `${buttonBase} ${variants[variant]} ${variant === "text" ? textSizes[size] : sizes[size]}`;
}

export type ButtonProps = ComponentPropsWithRef<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Disables the button and shows a spinner in place of the content, keeping its width. */
  loading?: boolean;
  icon?: ReactNode;
};

/** The button itself, given its final classes (`Button` merges an override into them first). */
export function ButtonElement({
  classes,
  loading = false,
  icon,
  type = "button",
  disabled,
  children,
  ...props
}: Omit<ButtonProps, "variant" | "size" | "className"> & { classes: string }) {
  return (
    <button type={type} disabled={disabled || loading} aria-busy={loading || undefined} className={classes} {...props}>
      <span className={clsx("inline-flex items-center gap-1.5", loading && "invisible")}>
        {icon}
        {children}
      </span>
      {loading && (
        <span className="absolute inset-0 flex items-center justify-center">
          <Spinner size="sm" />
        </span>
      )}
    </button>
  );
}

/** A `Button` in one of the styles, with no `className` to merge. */
export function PlainButton({ variant = "primary", size = "md", ...props }: Omit<ButtonProps, "className">) {
  return <ButtonElement classes={buttonStyles({ variant, size })} {...props} />;
}

export const iconSizes: Record<ButtonSize, string> = { sm: "size-7", md: "size-8", lg: "size-9" };

// Icons rest in the muted colour and darken on hover, so rows of actions stay quiet.
export const iconVariants = {
  ghost: "rounded-md text-ink-muted hover:bg-neutral-200/60 hover:text-ink disabled:text-ink-subtle disabled:hover:bg-transparent",
  secondary:
    "rounded-md border border-line-strong bg-surface text-ink-muted shadow-xs hover:bg-neutral-50 hover:text-ink disabled:text-ink-subtle",
} as const;
