"use client";

// The "Recent requests (24h)" tab: the hourly chart, then every request of the last 24 hours,
// newest first, filtered by event and result, in numbered pages (as Logto's).
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Illustration } from "@/components/shell/illustration";
import { useEffect, useId, useState } from "react";
import {
  Button,
  buttonStyles,
  Card,
  ChevronDownIcon,
  cn,
  Combobox,
  EmptyState,
  Pagination,
  Spinner,
  Table,
  Tag,
  WebhookIcon,
  type TableColumn,
} from "@/components/ui";
import { EVENT_GROUPS } from "@/lib/hooks/events";
import { DELIVERIES_PAGE_SIZE, DELIVERY_RESULTS, type DeliveryResult, type DeliverySummary } from "@/lib/deliveries/schemas";
import { filtersFrom, filtersQuery } from "./filters";
import { HookRequestsChart } from "./hook-requests-chart";
import { ResendFailedButton } from "./resend-failed";
import { DELIVERIES_REFRESH_MS, useDeliveries, type DeliveryFilters } from "./queries";
import { formatDuration, formatTime } from "./format";
import { RequestStatus } from "./request-status";

const RESULT_LABELS: Record<DeliveryResult, string> = { success: "Succeeded", failed: "Failed" };

const columns: TableColumn<DeliverySummary>[] = [
  { key: "status", header: "Status", className: "whitespace-nowrap sm:w-48", render: (row) => <RequestStatus request={row} /> },
  {
    key: "event",
    header: "Event",
    render: (row) => (
      <span className="inline-flex flex-wrap items-center gap-2">
        <span className="font-medium text-ink">{row.event}</span>
        {row.resendOfId && <Tag color="info">Resent</Tag>}
      </span>
    ),
  },
  {
    key: "attempts",
    header: "Attempts",
    className: "hidden w-24 md:table-cell",
    align: "right",
    render: (row) => <span className="tabular-nums">{row.attempts}</span>,
  },
  {
    key: "duration",
    header: "Duration",
    className: "hidden w-28 sm:table-cell",
    align: "right",
    render: (row) => <span className="tabular-nums text-ink-muted">{formatDuration(row.durationMs)}</span>,
  },
  {
    key: "time",
    header: "Time",
    className: "sm:w-44",
    render: (row) => (
      <time dateTime={new Date(row.createdAt).toISOString()} className="tabular-nums text-ink-muted sm:whitespace-nowrap">
        {formatTime(row.createdAt)}
      </time>
    ),
  },
];

// Drawn like the event filter beside it (same height, chevron, muted while nothing is chosen).
const selectStyles =
  "h-8 max-w-full appearance-none rounded-md border border-line-strong bg-surface pl-2.5 pr-7 text-sm shadow-xs hover:border-neutral-400 focus-visible:border-primary-600 focus-visible:outline-offset-0";

const EVENT_OPTIONS = EVENT_GROUPS.map((group) => ({ label: group.label, options: group.events.map((event) => event.name) }));

function Filters({ filters, onChange }: { filters: DeliveryFilters; onChange: (patch: DeliveryFilters) => void }) {
  const id = useId();
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      {/* Searchable and clearable, as Logto's event selector is: 31 events are a long list. */}
      <Combobox
        label="Event"
        placeholder="All events"
        searchPlaceholder="Search events"
        groups={EVENT_OPTIONS}
        value={filters.event}
        onChange={(event) => onChange({ event })}
      />
      <label htmlFor={`${id}-result`} className="sr-only">
        Result
      </label>
      <span className="relative inline-flex max-w-full">
        <select
          id={`${id}-result`}
          className={cn(selectStyles, filters.result ? "text-ink" : "text-ink-muted")}
          value={filters.result ?? ""}
          onChange={(event) => onChange({ result: (event.target.value || undefined) as DeliveryResult | undefined })}
        >
          <option value="">All results</option>
          {DELIVERY_RESULTS.map((result) => (
            <option key={result} value={result}>
              {RESULT_LABELS[result]}
            </option>
          ))}
        </select>
        <ChevronDownIcon
          size={14}
          aria-hidden="true"
          className="pointer-events-none absolute right-2 top-1/2 -translate-y-1/2 text-ink-muted"
        />
      </span>
    </div>
  );
}

export function RecentRequests({ hookId }: { hookId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  // State, not the URL, is the source: two quick changes must compose even before the first
  // navigation commits. The URL follows, so reload and the details page's "Back" keep them.
  const [filters, setAllFilters] = useState<DeliveryFilters>(() => filtersFrom(new URLSearchParams(searchParams.toString())));
  const query = filtersQuery(filters);
  useEffect(() => {
    if (query !== window.location.search) router.replace(`${pathname}${query}`, { scroll: false });
  }, [query, pathname, router]);
  const deliveries = useDeliveries(hookId, filters);
  const rows = deliveries.data?.items;
  const total = deliveries.data?.total ?? 0;
  const page = filters.page ?? 1;
  const filtered = Boolean(filters.event || filters.result);

  // A new filter starts again at page 1; the page number alone keeps the filters.
  function setFilters(patch: DeliveryFilters) {
    setAllFilters((previous) => ({ ...previous, ...patch, page: "page" in patch ? patch.page : undefined }));
  }

  // Requests age out of the 24 h window, so a page kept in a link can end up past the last one.
  const empty =
    page > 1 ? (
      <EmptyState
        icon={<WebhookIcon size={24} />}
        title="No requests on this page"
        description="Requests older than 24 hours have left the list."
        action={
          <Button variant="secondary" onClick={() => setFilters({ page: undefined })}>
            Go to the first page
          </Button>
        }
      />
    ) : filtered ? (
      <EmptyState
        icon={<WebhookIcon size={24} />}
        title="No requests match these filters"
        description="Nothing in the last 24 hours has this event and result."
        action={
          <Button variant="secondary" onClick={() => setFilters({ event: undefined, result: undefined })}>
            Clear filters
          </Button>
        }
      />
    ) : (
      <EmptyState
        illustration={<Illustration kind="requests" />}
        title="No requests in the last 24 hours"
        description="Each time an event this webhook subscribes to happens, the request sent to the endpoint is listed here with its status and details. Test payloads are not recorded: to try the endpoint, use “Send test payload” in Settings."
        action={
          <Link href={`/webhooks/${hookId}/settings`} className={buttonStyles({ variant: "secondary" })}>
            Go to settings
          </Link>
        }
      />
    );

  return (
    <div className="flex flex-col gap-4">
      <HookRequestsChart hookId={hookId} />
      <Card
        flush
        title="Requests"
        description={
          <span className="inline-flex items-center gap-1.5">
            Every request of the last 24 hours, newest first. Refreshes every {DELIVERIES_REFRESH_MS / 1000} seconds.
            {deliveries.isFetching && !deliveries.isPending && <Spinner size="sm" />}
          </span>
        }
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <ResendFailedButton hookId={hookId} />
            <Filters filters={filters} onChange={setFilters} />
          </div>
        }
      >
        {deliveries.isError && !rows ? (
          <EmptyState
            title="Could not load requests"
            description={deliveries.error.message}
            action={
              <Button variant="secondary" onClick={() => void deliveries.refetch()}>
                Try again
              </Button>
            }
          />
        ) : (
          <Table
            aria-label="Recent requests"
            columns={columns}
            rows={rows}
            rowKey={(row) => row.id}
            onRowClick={(row) => router.push(`${pathname}/${row.id}${query}`)}
            loading={deliveries.isPending}
            empty={empty}
          />
        )}
        {(total > DELIVERIES_PAGE_SIZE || page > 1) && (
          <Pagination
            className="border-t border-line px-4 py-3"
            label="Recent requests pages"
            page={page}
            pageSize={DELIVERIES_PAGE_SIZE}
            total={total}
            onChange={(next) => setFilters({ page: next > 1 ? next : undefined })}
          />
        )}
      </Card>
    </div>
  );
}
