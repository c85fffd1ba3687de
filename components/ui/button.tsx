import type { ComponentPropsWithRef, ReactNode } from "react";
import { cn } from "./cn";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost" | "text";
export type ButtonSize = "sm" | "md" | "lg";

const base =
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
  return `${base} ${variants[variant]} ${variant === "text" ? textSizes[size] : sizes[size]}`;
}

export type ButtonProps = ComponentPropsWithRef<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Disables the button and shows a spinner in place of the content, keeping its width. */
  loading?: boolean;
  icon?: ReactNode;
};

export function Button({
  variant = "primary",
  size = "md",
  loading = false,
  icon,
  type = "button",
  disabled,
  className,
  children,
  ...props
}: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={cn(buttonStyles({ variant, size }), className)}
      {...props}
    >
      <span className={cn("inline-flex items-center gap-1.5", loading && "invisible")}>
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

const iconSizes: Record<ButtonSize, string> = { sm: "size-7", md: "size-8", lg: "size-9" };

// Icons rest in the muted colour and darken on hover, so rows of actions stay quiet.
const iconVariants = {
  ghost: "rounded-md text-ink-muted hover:bg-neutral-200/60 hover:text-ink disabled:text-ink-subtle disabled:hover:bg-transparent",
  secondary:
    "rounded-md border border-line-strong bg-surface text-ink-muted shadow-xs hover:bg-neutral-50 hover:text-ink disabled:text-ink-subtle",
} as const;

export type IconButtonProps = Omit<ComponentPropsWithRef<"button">, "children"> & {
  /** Accessible name, also shown as a native tooltip. */
  label: string;
  icon: ReactNode;
  variant?: keyof typeof iconVariants;
  size?: ButtonSize;
};

export function IconButton({ label, icon, variant = "ghost", size = "md", type = "button", className, ...props }: IconButtonProps) {
  return (
    <button type={type} aria-label={label} title={label} className={cn(base, iconVariants[variant], iconSizes[size], className)} {...props}>
      {icon}
    </button>
  );
}
