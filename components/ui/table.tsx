// No "use client": a server component (the webhooks list) renders the table on the server, with
// `rowHref` rows whose clicks a client island (RowLinks) handles; client components pass `onRowClick`.
import type { KeyboardEvent, MouseEvent, ReactNode } from "react";
import { IconButton } from "./button";
import { cn } from "./cn";
import { ChevronLeftIcon, ChevronRightIcon } from "./icons";
import { NESTED_CONTROLS } from "./nested-controls";
import { Skeleton } from "./skeleton";

export type TableColumn<T> = {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** Classes for both header and cells of this column (e.g. a width). */
  className?: string;
  align?: "left" | "right";
};

export type TableProps<T> = {
  columns: TableColumn<T>[];
  /** `undefined` is treated as no rows, so query data can be passed directly. */
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  /** Makes rows focusable; click or Enter calls it. */
  onRowClick?: (row: T) => void;
  /**
   * For a table rendered on the server: each row's link target, as `data-href`, with the
   * clickable look. Wrap the table in `RowLinks` (a client island), which follows row clicks.
   */
  rowHref?: (row: T) => string;
  /**
   * Whether a clickable row is a tab stop of its own (Enter opens it). Off where a link in the row
   * already leads to the same place, so each row is one tab stop, not two.
   */
  rowFocus?: boolean;
  loading?: boolean;
  skeletonRows?: number;
  /** Shown in place of the rows when there are none and nothing is loading. */
  empty?: ReactNode;
  "aria-label"?: string;
  className?: string;
};

export { NESTED_CONTROLS } from "./nested-controls";

function isRowActivation(event: MouseEvent<HTMLElement> | KeyboardEvent<HTMLElement>): boolean {
  const { target, currentTarget } = event;
  // Events from portals (a modal opened from the row) bubble through React but are not in the row.
  if (!(target instanceof Element) || !currentTarget.contains(target)) return false;
  const control = target.closest(NESTED_CONTROLS);
  return control === null || !currentTarget.contains(control);
}

export function Table<T>({
  columns,
  rows,
  rowKey,
  onRowClick,
  rowHref,
  rowFocus = true,
  loading = false,
  skeletonRows = 5,
  empty,
  className,
  "aria-label": ariaLabel,
}: TableProps<T>) {
  const items = rows ?? [];
  const alignment = (column: TableColumn<T>) => (column.align === "right" ? "text-right" : "text-left");

  return (
    // `relative`: absolutely positioned content (screen-reader-only headers) stays inside the scroll box.
    <div className={cn("relative overflow-x-auto", className)}>
      <table aria-label={ariaLabel} aria-busy={loading || undefined} className="w-full border-collapse text-sm">
        {/* No column headings over an empty state: they head nothing. */}
        {(loading || items.length > 0 || empty === undefined) && (
          <thead>
            <tr className="border-b border-line">
              {columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  className={cn("px-3 py-2.5 text-xs font-medium text-ink-muted sm:px-4", alignment(column), column.className)}
                >
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>
          {loading
            ? Array.from({ length: skeletonRows }, (_, index) => (
                <tr key={index} className="border-b border-line last:border-0">
                  {columns.map((column) => (
                    <td key={column.key} className={cn("px-3 py-3.5 sm:px-4", column.className)}>
                      <Skeleton className="h-4 w-3/4" />
                    </td>
                  ))}
                </tr>
              ))
            : items.map((row) => (
                <tr
                  key={rowKey(row)}
                  data-href={rowHref?.(row)}
                  tabIndex={onRowClick && rowFocus ? 0 : undefined}
                  onClick={onRowClick && ((event) => isRowActivation(event) && onRowClick(row))}
                  onKeyDown={
                    onRowClick && rowFocus
                      ? (event) => {
                          if (event.key === "Enter" && event.target === event.currentTarget) onRowClick(row);
                        }
                      : undefined
                  }
                  className={cn(
                    "border-b border-line last:border-0",
                    (onRowClick ?? rowHref) &&
                      "cursor-pointer hover:bg-neutral-50 focus-visible:bg-neutral-50 focus-visible:-outline-offset-2 has-[a:focus-visible]:bg-neutral-50",
                  )}
                >
                  {columns.map((column) => (
                    <td key={column.key} className={cn("px-3 py-3 align-middle sm:px-4", alignment(column), column.className)}>
                      {column.render(row)}
                    </td>
                  ))}
                </tr>
              ))}
          {!loading && items.length === 0 && empty !== undefined && (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export type PaginationProps = {
  /** 1-based. */
  page: number;
  pageSize: number;
  total: number;
  onChange: (page: number) => void;
  /** The navigation landmark's name, when a page has more than one. */
  label?: string;
  className?: string;
};

/** Page numbers to show: the first, the last, and the current one with its neighbours; gaps as null. */
export function pageNumbers(page: number, pageCount: number): (number | null)[] {
  const wanted = new Set([1, pageCount, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pageCount));
  // A gap of one page shows that page rather than an ellipsis.
  if (wanted.has(3) && !wanted.has(2) && pageCount >= 3) wanted.add(2);
  if (wanted.has(pageCount - 2) && !wanted.has(pageCount - 1)) wanted.add(pageCount - 1);
  const sorted = [...wanted].sort((a, b) => a - b);
  return sorted.flatMap((n, index) => (index > 0 && n - (sorted[index - 1] ?? n) > 1 ? [null, n] : [n]));
}

export function Pagination({ page, pageSize, total, onChange, label = "Pagination", className }: PaginationProps) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);

  return (
    <nav aria-label={label} className={cn("flex flex-wrap items-center justify-between gap-x-4 gap-y-2 text-sm text-ink-muted", className)}>
      <p className="tabular-nums">{total === 0 ? "No results" : `Showing ${from}–${to} of ${total.toLocaleString()}`}</p>
      <div className="flex items-center gap-1">
        <IconButton label="Previous page" icon={<ChevronLeftIcon />} size="sm" disabled={page <= 1} onClick={() => onChange(page - 1)} />
        {/* Page numbers as Logto shows them; a phone keeps "Page n of m". */}
        <ol className="hidden items-center gap-1 sm:flex">
          {pageNumbers(page, pageCount).map((n, index) =>
            n === null ? (
              <li key={`gap-${index}`} aria-hidden="true" className="px-1">
                …
              </li>
            ) : (
              <li key={n}>
                <button
                  type="button"
                  aria-label={`Page ${n}`}
                  aria-current={n === page ? "page" : undefined}
                  onClick={() => n !== page && onChange(n)}
                  className={cn(
                    "h-7 min-w-7 rounded-md px-1.5 tabular-nums hover:bg-neutral-100 hover:text-ink",
                    n === page && "bg-primary-50 font-medium text-primary-600 hover:bg-primary-50 hover:text-primary-600",
                  )}
                >
                  {n}
                </button>
              </li>
            ),
          )}
        </ol>
        <span className="min-w-20 text-center tabular-nums sm:hidden">
          Page {page} of {pageCount}
        </span>
        <IconButton
          label="Next page"
          icon={<ChevronRightIcon />}
          size="sm"
          disabled={page >= pageCount}
          onClick={() => onChange(page + 1)}
        />
      </div>
    </nav>
  );
}
