import type { ReactNode } from "react";

/** A page's title, what it is for, and its main action, which wraps under the text on a phone. */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-3">
      <div className="min-w-0 basis-72 grow">
        <h1 className="text-xl font-semibold text-ink">{title}</h1>
        {description && <p className="mt-1 text-sm text-ink-muted">{description}</p>}
      </div>
      {/* empty:hidden: an action that streams in as nothing (the list with no webhooks) leaves no gap. */}
      {actions && <div className="flex flex-wrap items-center gap-2 empty:hidden">{actions}</div>}
    </div>
  );
}
