import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/**
 * Joins class names (clsx: strings, conditionals, arrays) and lets a later Tailwind class win over
 * a conflicting earlier one (tailwind-merge), so `className` overrides a component's defaults
 * whatever order the CSS happens to list them in.
 */
export function cn(...classes: ClassValue[]): string {
  return twMerge(clsx(classes));
}
