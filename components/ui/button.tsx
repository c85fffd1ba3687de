import { ButtonElement, buttonBase, buttonStyles, iconSizes, iconVariants, type ButtonProps, type ButtonSize } from "./button-base";
import { cn } from "./cn";
import type { ComponentPropsWithRef, ReactNode } from "react";

export { buttonStyles, PlainButton } from "./button-base";
export type { ButtonProps, ButtonSize, ButtonVariant } from "./button-base";

/** A button in one of the console's styles; `className` wins over the defaults it conflicts with. */
export function Button({ variant = "primary", size = "md", className, ...props }: ButtonProps) {
  return <ButtonElement classes={cn(buttonStyles({ variant, size }), className)} {...props} />;
}

export type IconButtonProps = Omit<ComponentPropsWithRef<"button">, "children"> & {
  /** Accessible name, also shown as a native tooltip. */
  label: string;
  icon: ReactNode;
  variant?: keyof typeof iconVariants;
  size?: ButtonSize;
};

export function IconButton({ label, icon, variant = "ghost", size = "md", type = "button", className, ...props }: IconButtonProps) {
  return (
    <button
      type={type}
      aria-label={label}
      title={label}
      className={cn(buttonBase, iconVariants[variant], iconSizes[size], className)}
      {...props}
    >
      {icon}
    </button>
  );
}
