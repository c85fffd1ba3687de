// The console's landing page, rendered on the server (no "use client"): rows, rates, tags and
// sparklines arrive as HTML and the phone hydrates only the islands (list-islands.tsx: the create
// button and modal, row clicks, paging, the refresh) and the name links. Mobile Lighthouse,
// issue 13: hydrating the list as client components (query observers, class merging, number
// formatting per row) was most of the main-thread work of the page.
import Link from "next/link";
import { redirect } from "next/navigation";
import { cache } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { WebhookIcon } from "@/components/ui/icons";
import { DOCS, LearnMore } from "@/components/ui/learn-more";
import { Table, type TableColumn } from "@/components/ui/table";
import { Tag } from "@/components/ui/tag";
import { HookSparkline } from "@/components/deliveries/sparkline";
import { Illustration } from "@/components/shell/illustration";
import { PageHeader } from "@/components/shell/page-header";
import { currentAdmin } from "@/lib/auth/current";
import { appContext } from "@/lib/context";
import { hookSparklines } from "@/lib/deliveries/stats";
import type { Sparkline } from "@/lib/deliveries/schemas";
import { subscribedEvents } from "@/lib/hooks/events";
import type { HookOutput } from "@/lib/hooks/schemas";
import { listHooks } from "@/lib/hooks/service";
import { logger } from "@/lib/observability/log";
import { hookName } from "./display-name";
import { HealthTag } from "./health-tag";
import { CreateWebhookButton, CreateWebhookHost, HooksPagination, RefreshList, RetryButton, RowLinks } from "./list-islands";
import { HOOKS_PAGE_SIZE, listPath, pageFromParam } from "./list-page";
import { SuccessRate } from "./success-rate";

type Row = { hook: HookOutput; sparkline: Sparkline | undefined };

/** Below 640 px the Requests column is hidden; its count goes under the rate (nothing when "-" already says none). */
function PhoneRequestCount({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span className="basis-full text-xs tabular-nums text-ink-muted sm:hidden">
      {count.toLocaleString()} {count === 1 ? "request" : "requests"}
    </span>
  );
}

function columns(windowEnd: number): TableColumn<Row>[] {
  return [
    {
      key: "name",
      header: "Name",
      className: "w-[28%] max-w-36 sm:max-w-none",
      render: ({ hook }) => (
        <div className="flex min-w-0 items-center gap-3">
          <span
            aria-hidden="true"
            className="hidden size-8 shrink-0 items-center justify-center rounded-md bg-primary-50 text-primary-600 sm:flex"
          >
            <WebhookIcon />
          </span>
          <div className="min-w-0">
            {/* A real link too, so the webhook can open in a new tab; the row click covers the rest. */}
            {/* No prefetch: a dynamic page per row, each a server render, while the list is loading. */}
            <Link href={`/webhooks/${hook.id}`} prefetch={false} className="block truncate font-medium text-ink hover:text-primary-600">
              {hookName(hook)}
            </Link>
            <p className="truncate text-xs text-ink-muted">{hook.config.url}</p>
          </div>
        </div>
      ),
    },
    {
      key: "events",
      header: "Events",
      // Phones keep the name, the rate and the count; the events are one tap away.
      className: "hidden md:table-cell",
      render: ({ hook }) => <span className="line-clamp-2 text-ink-muted">{subscribedEvents(hook).join(", ")}</span>,
    },
    {
      key: "success-rate",
      header: "Success rate (24h)",
      className: "sm:w-40",
      // As in Logto, a disabled hook shows its state instead of a rate. Rate, count and sparkline
      // come from the same read, so they never disagree; settled requests make the rate, in-flight
      // ones are shown beside it. The endpoint's health tag (paused, failing, auto-disabled) sits next to it.
      render: ({ hook, sparkline }) => (
        <span className="inline-flex flex-wrap items-center gap-2">
          {hook.enabled ? (
            <SuccessRate totals={sparkline?.totals} held={hook.health.state === "circuit_open"} />
          ) : (
            <Tag color="neutral">Not in use</Tag>
          )}
          <HealthTag health={hook.health} />
          {/* Phones drop the Requests column (name and rate keep the width): the count comes here. */}
          {hook.enabled && <PhoneRequestCount count={sparkline?.totals.requestCount ?? 0} />}
        </span>
      ),
    },
    {
      // The 24 h sparkline, between "Success rate (24h)" and "Requests (24h)".
      key: "sparkline",
      header: "Last 24h",
      className: "hidden w-32 lg:table-cell",
      render: ({ hook, sparkline }) =>
        sparkline ? <HookSparkline sparkline={sparkline} windowEnd={windowEnd} muted={!hook.enabled} /> : null,
    },
    {
      key: "requests",
      header: "Requests (24h)",
      className: "hidden w-36 sm:table-cell",
      align: "right",
      render: ({ hook, sparkline }) => (
        <span className="tabular-nums">{hook.enabled ? (sparkline?.totals.requestCount ?? 0).toLocaleString() : "-"}</span>
      ),
    },
  ];
}

/**
 * One page of hooks and their sparklines, read at one instant; an Error when the read fails (the
 * page shows it). Once per request (React's cache): the header's button and the rows both ask.
 */
const readPage = cache(async (page: number) => {
  try {
    const ctx = appContext();
    const now = ctx.clock.now();
    const { items, total } = await listHooks(ctx, { page, pageSize: HOOKS_PAGE_SIZE });
    const sparklines = await hookSparklines(
      ctx,
      items.map((hook) => hook.id),
      now,
    );
    return { rows: items.map((hook) => ({ hook, sparkline: sparklines[hook.id] })), total, windowEnd: now.getTime() };
  } catch (error) {
    logger("console").warn({ err: error }, "could not read the webhooks list");
    return error instanceof Error ? error : new Error("Could not load webhooks");
  }
});

export type ListSearchParams = Promise<{ page?: string | string[] }>;

async function pageOf(searchParams: ListSearchParams) {
  const param = (await searchParams).page;
  return pageFromParam(typeof param === "string" ? param : null);
}

/** The header's "Create webhook"; with no webhooks the empty state carries the only one. */
async function HeaderAction({ searchParams }: { searchParams: ListSearchParams }) {
  if (!(await currentAdmin())) return null;
  const result = await readPage(await pageOf(searchParams));
  return !(result instanceof Error) && result.total === 0 ? null : <CreateWebhookButton />;
}

/** The rows, read on the server (see WebhooksList). */
async function ListRows({ searchParams }: { searchParams: ListSearchParams }) {
  // The layout turns a signed-out visitor away; the page, rendered alongside it, reads nothing for one.
  if (!(await currentAdmin())) return null;
  const page = await pageOf(searchParams);
  const result = await readPage(page);
  if (result instanceof Error) {
    return <EmptyState title="Could not load webhooks" description={result.message} action={<RetryButton />} />;
  }
  const pageCount = Math.max(1, Math.ceil(result.total / HOOKS_PAGE_SIZE));
  // After deletions the last page may be gone: show the new last page instead of an empty one.
  if (page > pageCount) redirect(listPath(pageCount));
  return (
    <>
      <RowLinks>
        <Table
          aria-label="Webhooks"
          columns={columns(result.windowEnd)}
          rows={result.rows}
          rowKey={({ hook }) => hook.id}
          rowHref={({ hook }) => `/webhooks/${hook.id}`}
          empty={
            <EmptyState
              illustration={<Illustration kind="webhooks" />}
              title="No webhooks yet"
              description="Create a webhook to receive real-time updates about the events you pick. Your endpoint gets a signed POST request for each one."
              action={<CreateWebhookButton />}
            />
          }
        />
      </RowLinks>
      {result.total > HOOKS_PAGE_SIZE && <HooksPagination page={page} total={result.total} />}
    </>
  );
}

/**
 * /webhooks and /webhooks/create (the list with the create modal open), sent whole: the rows are
 * read (one page, a few milliseconds) before the first byte, so the first paint is the finished
 * page. Streaming them in behind a skeleton cost more than it saved (mobile Lighthouse, issue 13):
 * React holds a streamed boundary back at least 300 ms after the first paint, and the skeleton's
 * pulse meanwhile made the browser composite (and Lighthouse screenshot) every frame on the CPU the
 * page's own script needed.
 */
export function WebhooksList({ searchParams }: { searchParams: ListSearchParams }) {
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Webhooks"
        description={
          <>
            Webhooks send a signed POST request to your endpoint whenever the events you pick happen.
            <LearnMore href={DOCS.webhooks} topic="webhooks" />
          </>
        }
        actions={<HeaderAction searchParams={searchParams} />}
      />
      <Card flush>
        <ListRows searchParams={searchParams} />
      </Card>
      <CreateWebhookHost />
      <RefreshList />
    </div>
  );
}
