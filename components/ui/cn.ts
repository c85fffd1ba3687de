import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/**
 * Joins class names (clsx: strings, conditionals, arrays) and lets a later Tailwind class win over
 * a conflicting earlier one (tailwind-merge), so `className` overrides a component's defaults
 * whatever order the CSS happens to list them in.
 */
export function cn(...classes: ClassValue[]): string {
  // One class string and nothing to merge it with (a component without a `className` override):
  // returned as it is. Saves the first paint tailwind-merge's start-up (it builds its class map on
  // the first call); a string from one place has no override to resolve.
  const given = classes.filter(Boolean);
  const [only] = given;
  if (given.length === 1 && typeof only === "string") return only;
  return twMerge(clsx(classes));
}
