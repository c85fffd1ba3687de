"use client";

// The overview page: health across every webhook over the last 24 hours.
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import {
  Button,
  buttonStyles,
  Card,
  CheckCircleIcon,
  cn,
  EmptyState,
  Skeleton,
  Table,
  Tag,
  WebhookIcon,
  type TableColumn,
} from "@/components/ui";
import { describeError, HealthTag } from "@/components/webhooks/health-tag";
import { needsAttention } from "@/components/webhooks/health";
import { useEveryHook } from "@/components/webhooks/queries";
import { PageHeader } from "@/components/shell/page-header";
import { formatPercent, SuccessRate, successRateTone } from "@/components/webhooks/success-rate";
import type { HookOutput } from "@/lib/hooks/schemas";
import { successRate, type HookFailureStats } from "@/lib/deliveries/schemas";
import { STATS_REFRESH_MS, useOverview } from "./queries";
import { RequestsChart } from "./requests-chart";
import { hookName } from "@/components/webhooks/display-name";

const toneText = { error: "text-red-700", warning: "text-amber-700", success: "text-green-700" } as const;

function Stat({
  label,
  value,
  hint,
  loading,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  loading: boolean;
  testId: string;
}) {
  return (
    <Card className="min-w-0">
      <p className="text-sm text-ink-muted">{label}</p>
      {loading ? (
        <Skeleton className="mt-2 h-8 w-24" />
      ) : (
        <p className="mt-1 text-2xl font-semibold tabular-nums text-ink" data-testid={testId}>
          {value}
        </p>
      )}
      {hint && !loading && <p className="mt-1 text-xs text-ink-muted">{hint}</p>}
    </Card>
  );
}

const failingColumns: TableColumn<HookFailureStats>[] = [
  {
    key: "name",
    header: "Webhook",
    render: (hook) => (
      <span className="inline-flex items-center gap-2">
        <Link href={`/webhooks/${hook.hookId}/recent-requests?result=failed`} className="font-medium text-ink hover:text-primary-600">
          {hookName(hook)}
        </Link>
        {!hook.enabled && <Tag color="neutral">Not in use</Tag>}
      </span>
    ),
  },
  {
    key: "failures",
    header: "Failures (24h)",
    className: "sm:w-40",
    align: "right",
    // Failed for good only; the ones still retrying show as "N in flight" beside the rate.
    render: (hook) => (
      <span className={cn("tabular-nums", hook.failedCount > 0 ? "text-red-700" : "text-ink-muted")}>
        {hook.failedCount.toLocaleString()}
      </span>
    ),
  },
  {
    key: "requests",
    header: "Requests (24h)",
    className: "hidden w-36 sm:table-cell",
    align: "right",
    render: (hook) => <span className="tabular-nums">{hook.requestCount.toLocaleString()}</span>,
  },
  { key: "rate", header: "Success rate", className: "sm:w-36", render: (hook) => <SuccessRate totals={hook} /> },
];

const attentionColumns: TableColumn<HookOutput>[] = [
  {
    key: "name",
    header: "Webhook",
    render: (hook) => (
      <span className="inline-flex flex-wrap items-center gap-2">
        <Link href={`/webhooks/${hook.id}`} className="font-medium text-ink hover:text-primary-600">
          {hookName(hook)}
        </Link>
        <HealthTag health={hook.health} />
      </span>
    ),
  },
  { key: "error", header: "Last error", render: (hook) => <span className="text-ink-muted">{describeError(hook.health.lastError)}</span> },
  {
    key: "held",
    header: "Held requests",
    className: "w-36",
    align: "right",
    render: (hook) => <span className="tabular-nums">{hook.health.held.toLocaleString()}</span>,
  },
];

/** Webhooks whose endpoint is failing, paused or auto-disabled; hidden while every one is healthy. */
function NeedsAttention() {
  const router = useRouter();
  const hooks = useEveryHook(STATS_REFRESH_MS);
  const rows = needsAttention(hooks.data?.hooks ?? []);
  if (rows.length === 0) return null;
  return (
    <Card
      flush
      title="Webhooks needing attention"
      description="Endpoints that are failing, paused by the circuit breaker or disabled automatically."
    >
      <Table
        aria-label="Webhooks needing attention"
        columns={attentionColumns}
        rows={rows}
        rowKey={(hook) => hook.id}
        onRowClick={(hook) => router.push(`/webhooks/${hook.id}`)}
      />
    </Card>
  );
}

export function Overview() {
  const router = useRouter();
  const overview = useOverview();
  const data = overview.data;
  const loading = overview.isPending;
  const rate = data ? successRate(data.totals) : null;

  if (data && data.hookCount === 0) {
    return (
      <div className="flex flex-col gap-4">
        <Heading />
        <Card>
          <EmptyState
            icon={<WebhookIcon size={24} />}
            title="No webhooks yet"
            description="Create a webhook, and the health of its requests shows here."
            action={
              <Link href="/webhooks" className={buttonStyles()}>
                Go to webhooks
              </Link>
            }
          />
        </Card>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <Heading />
      {overview.isError && (
        <Card>
          <EmptyState
            title="Could not load the overview"
            description={overview.error.message}
            action={
              <Button variant="secondary" onClick={() => void overview.refetch()}>
                Try again
              </Button>
            }
          />
        </Card>
      )}
      {/* Nothing loaded and the request failed: the error alone, not "-" cards and skeletons that never resolve. */}
      {!(overview.isError && !data) && (
        <>
          <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <Stat
              label="Requests (24h)"
              testId="overview-requests"
              loading={loading}
              value={data?.totals.requestCount.toLocaleString()}
              hint="Retries of a request count once."
            />
            <Stat
              label="Success rate (24h)"
              testId="overview-success-rate"
              loading={loading}
              value={
                rate === null ? (
                  <span className="text-ink-muted">-</span>
                ) : (
                  <span className={toneText[successRateTone(rate)]}>{formatPercent(rate)}</span>
                )
              }
              hint={
                data
                  ? `${data.totals.successCount.toLocaleString()} of ${(data.totals.successCount + data.totals.failedCount).toLocaleString()} settled succeeded`
                  : undefined
              }
            />
            <Stat
              label="Failed (24h)"
              testId="overview-failed"
              loading={loading}
              value={data?.totals.failedCount.toLocaleString()}
              hint={
                data && data.totals.retryingCount > 0
                  ? `${data.totals.retryingCount.toLocaleString()} in flight, not counted yet`
                  : "After every retry."
              }
            />
            <Stat
              label="Webhooks"
              testId="overview-webhooks"
              loading={loading}
              value={data?.enabledHookCount.toLocaleString()}
              hint={data ? `active of ${data.hookCount.toLocaleString()}` : undefined}
            />
          </div>
          <NeedsAttention />
          <Card title="Requests per hour" description="All webhooks, last 24 hours, by outcome.">
            <RequestsChart stats={data} loading={loading} label="Requests per hour across all webhooks" height={260} />
          </Card>
          <Card flush title="Top failing webhooks" description="Most failed requests in the last 24 hours.">
            <Table
              aria-label="Top failing webhooks"
              columns={failingColumns}
              rows={data?.topFailing}
              rowKey={(hook) => hook.hookId}
              onRowClick={(hook) => router.push(`/webhooks/${hook.hookId}/recent-requests?result=failed`)}
              loading={loading}
              skeletonRows={3}
              empty={<EmptyState icon={<CheckCircleIcon size={22} />} title="No failures in the last 24 hours" className="py-8" />}
            />
          </Card>
        </>
      )}
    </div>
  );
}

function Heading() {
  return (
    <PageHeader
      title="Overview"
      description={`Health of every webhook over the last 24 hours. Refreshes every ${STATS_REFRESH_MS / 1000} seconds.`}
    />
  );
}
