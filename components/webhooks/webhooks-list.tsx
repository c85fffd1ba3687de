"use client";

// The console's landing page, so it ships little: the UI parts come from their own modules (the
// barrel would pull every primitive, cmdk and Radix popover included), nothing here imports zod,
// and the create modal (form, zod schemas, event picker, dialog) loads when it is first opened.
import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PlusIcon, WebhookIcon } from "@/components/ui/icons";
import { DOCS, LearnMore } from "@/components/ui/learn-more";
import { Skeleton } from "@/components/ui/skeleton";
import { Pagination, Table, type TableColumn } from "@/components/ui/table";
import { Tag } from "@/components/ui/tag";
import { useSparkline } from "@/components/logs/queries";
import { sparklineColumn } from "@/components/logs/sparkline";
import { Illustration } from "@/components/shell/illustration";
import { PageHeader } from "@/components/shell/page-header";
import { subscribedEvents } from "@/lib/hooks/events";
import type { HookOutput } from "@/lib/hooks/schemas";

const loadCreateModal = () => import("./create-webhook-modal");
const CreateWebhookModal = dynamic(() => loadCreateModal().then((module) => module.CreateWebhookModal), { ssr: false });
import { HealthTag } from "./health";
import { HOOKS_PAGE_SIZE, pageFromParam } from "./list-page";
import { useHooksPage } from "./queries";
import { SuccessRate } from "./success-rate";
import { hookName } from "./display-name";

// Rate, count and sparkline of a row read the same batched query (and refresh together), so they
// never disagree; settled requests make the rate, in-flight ones are shown beside it.
function HookSuccessRate({ hook }: { hook: HookOutput }) {
  const { data } = useSparkline(hook.id);
  return data ? <SuccessRate totals={data.totals} held={hook.health.state === "circuit_open"} /> : <Skeleton className="h-4 w-16" />;
}

function HookRequestCount({ hookId }: { hookId: string }) {
  const { data } = useSparkline(hookId);
  return data ? (
    <span className="tabular-nums">{data.totals.requestCount.toLocaleString()}</span>
  ) : (
    <Skeleton className="ml-auto h-4 w-8" />
  );
}

/** Below 640 px the Requests column is hidden; its count goes under the rate (nothing when "-" already says none). */
function PhoneRequestCount({ hookId }: { hookId: string }) {
  const { data } = useSparkline(hookId);
  if (!data || data.totals.requestCount === 0) return null;
  const count = data.totals.requestCount;
  return (
    <span className="basis-full text-xs tabular-nums text-ink-muted sm:hidden">
      {count.toLocaleString()} {count === 1 ? "request" : "requests"}
    </span>
  );
}

const columns: TableColumn<HookOutput>[] = [
  {
    key: "name",
    header: "Name",
    className: "w-[28%] max-w-36 sm:max-w-none",
    render: (hook) => (
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
    render: (hook) => <span className="line-clamp-2 text-ink-muted">{subscribedEvents(hook).join(", ")}</span>,
  },
  {
    key: "success-rate",
    header: "Success rate (24h)",
    className: "sm:w-40",
    // As in Logto, a disabled hook shows its state instead of a rate.
    // The endpoint's health tag (paused, failing, auto-disabled) sits next to the rate.
    render: (hook) => (
      <span className="inline-flex flex-wrap items-center gap-2">
        {hook.enabled ? <HookSuccessRate hook={hook} /> : <Tag color="neutral">Not in use</Tag>}
        <HealthTag health={hook.health} />
        {/* Phones drop the Requests column (name and rate keep the width): the count comes here. */}
        {hook.enabled && <PhoneRequestCount hookId={hook.id} />}
      </span>
    ),
  },
  // The 24 h sparkline, between "Success rate (24h)" and "Requests (24h)".
  sparklineColumn,
  {
    key: "requests",
    header: "Requests (24h)",
    className: "hidden w-36 sm:table-cell",
    align: "right",
    render: (hook) => (hook.enabled ? <HookRequestCount hookId={hook.id} /> : <span className="tabular-nums">-</span>),
  },
];

const LIST_PATH = "/webhooks";
const CREATE_PATH = "/webhooks/create";

export function WebhooksList() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const page = pageFromParam(searchParams.get("page"));
  // As in Logto, /webhooks/create is the list with the create modal open: a link can open it,
  // and Back closes it. The URL changes without a navigation (Next follows history.pushState).
  const creating = pathname === CREATE_PATH;
  // Mounted from the first opening on (so closing animates), not before.
  const [modalLoaded, setModalLoaded] = useState(creating);
  if (creating && !modalLoaded) setModalLoaded(true);
  const setCreating = (open: boolean) => {
    const query = searchParams.toString();
    window.history.pushState(null, "", `${open ? CREATE_PATH : LIST_PATH}${query ? `?${query}` : ""}`);
  };
  const hooks = useHooksPage(page);
  const total = hooks.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / HOOKS_PAGE_SIZE));

  // The page lives in the URL, so Back and reload keep it.
  function goToPage(next: number) {
    router.replace(next === 1 ? LIST_PATH : `${LIST_PATH}?page=${next}`, { scroll: false });
  }

  // After deletions the last page may be gone: show the new last page instead of an empty one.
  const pastTheEnd = hooks.isSuccess && !hooks.isPlaceholderData && page > pageCount;
  useEffect(() => {
    if (pastTheEnd) router.replace(pageCount === 1 ? LIST_PATH : `${LIST_PATH}?page=${pageCount}`, { scroll: false });
  }, [pastTheEnd, pageCount, router]);

  const isEmpty = hooks.isSuccess && total === 0;
  const createButton = (
    <Button
      icon={<PlusIcon size={16} />}
      onClick={() => setCreating(true)}
      // Fetch the modal's code as soon as the button is aimed at, so it opens without a wait.
      onPointerEnter={() => void loadCreateModal()}
      onFocus={() => void loadCreateModal()}
    >
      Create webhook
    </Button>
  );

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
        // With no webhooks the empty state carries the only "Create webhook" button.
        actions={!isEmpty && createButton}
      />

      <Card flush>
        {hooks.isError ? (
          <EmptyState
            title="Could not load webhooks"
            description={hooks.error.message}
            action={
              <Button variant="secondary" onClick={() => void hooks.refetch()}>
                Try again
              </Button>
            }
          />
        ) : (
          <Table
            aria-label="Webhooks"
            columns={columns}
            rows={hooks.data?.hooks}
            rowKey={(hook) => hook.id}
            onRowClick={(hook) => router.push(`/webhooks/${hook.id}`)}
            // The name is a link to the same page: one tab stop per row.
            rowFocus={false}
            loading={hooks.isPending}
            empty={
              <EmptyState
                illustration={<Illustration kind="webhooks" />}
                title="No webhooks yet"
                description="Create a webhook to receive real-time updates about the events you pick. Your endpoint gets a signed POST request for each one."
                action={createButton}
              />
            }
          />
        )}
        {total > HOOKS_PAGE_SIZE && (
          <Pagination page={page} pageSize={HOOKS_PAGE_SIZE} total={total} onChange={goToPage} className="border-t border-line px-4 py-3" />
        )}
      </Card>

      {modalLoaded && <CreateWebhookModal open={creating} onClose={() => setCreating(false)} />}
    </div>
  );
}
