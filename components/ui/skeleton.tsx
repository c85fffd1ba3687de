import { cn } from "./cn";

export type SkeletonProps = {
  /** Sets the size; defaults to one line of text. */
  className?: string;
};

export function Skeleton({ className = "h-4 w-full" }: SkeletonProps) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded bg-neutral-200/80", className)} />;
}
