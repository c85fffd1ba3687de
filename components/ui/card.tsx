import { useId, type ComponentPropsWithoutRef, type ReactNode } from "react";
import { cn } from "./cn";

export type CardProps = Omit<ComponentPropsWithoutRef<"section">, "title"> & {
  title?: ReactNode;
  description?: ReactNode;
  /** Right side of the header (buttons, menus). */
  actions?: ReactNode;
  /** Removes body padding, e.g. for an edge-to-edge table. */
  flush?: boolean;
};

export function Card({ title, description, actions, flush = false, className, children, ...props }: CardProps) {
  const titleId = useId();
  const hasHeader = Boolean(title || description || actions);
  return (
    <section aria-labelledby={title ? titleId : undefined} className={cn("rounded-xl border border-line bg-surface", className)} {...props}>
      {hasHeader && (
        // Narrow screens: the actions wrap under the title instead of squeezing it.
        <header className="flex flex-wrap items-start justify-between gap-x-4 gap-y-3 px-4 pt-5 sm:px-6">
          <div className="min-w-0 basis-64 grow">
            {title && (
              <h2 id={titleId} className="text-base font-semibold text-ink">
                {title}
              </h2>
            )}
            {description && <p className="mt-1 text-sm text-ink-muted">{description}</p>}
          </div>
          {actions && <div className="flex max-w-full flex-wrap items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className={cn(!flush && "px-4 pb-6 sm:px-6", !flush && (hasHeader ? "pt-4" : "pt-6"), flush && hasHeader && "mt-4")}>
        {children}
      </div>
    </section>
  );
}
