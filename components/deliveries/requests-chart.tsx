"use client";

// Requests per hour over the last 24 hours, stacked by outcome, with the success rate: one
// webhook's on its Recent requests tab, every webhook's on the overview.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { ChartIcon, EmptyState, Skeleton } from "@/components/ui";
import { formatPercent } from "@/components/webhooks/success-rate";
import { successRate, type HourBucket, type HourlyStats } from "@/lib/deliveries/schemas";
import { formatHour } from "./format";
import { OUTCOME_COLORS } from "./chart-colors";

type Row = HourBucket & { label: string; total: number };

const GRID_COLOR = "var(--color-line)";
const AXIS_COLOR = "var(--color-ink-muted)";
const OUTCOME_LABELS = { succeeded: "Succeeded", failed: "Failed", retrying: "In flight" } as const;

function ChartTooltip({ active, payload }: TooltipContentProps) {
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  const rate = successRate({ successCount: row.succeeded, failedCount: row.failed });
  return (
    <div className="rounded-md border border-line bg-surface px-3 py-2 text-xs shadow-md">
      <p className="font-medium text-ink">
        {formatHour(row.start)} – {formatHour(row.start + 3_600_000)}
      </p>
      <p className="mt-1 text-ink-muted">
        {row.total.toLocaleString()} {row.total === 1 ? "request" : "requests"}
        {rate !== null && ` · ${formatPercent(rate)} success`}
      </p>
      {(["succeeded", "failed", "retrying"] as const).map((key) =>
        row[key] > 0 ? (
          <p key={key} className="mt-0.5 flex items-center gap-1.5 text-ink">
            <span aria-hidden="true" className="size-2 rounded-full" style={{ background: OUTCOME_COLORS[key] }} />
            {OUTCOME_LABELS[key]}: {row[key].toLocaleString()}
          </p>
        ) : null,
      )}
    </div>
  );
}

const legendText = (value: string) => <span className="text-ink">{value}</span>;

export type RequestsChartProps = {
  stats: HourlyStats | undefined;
  loading: boolean;
  /** Accessible name of the chart. */
  label: string;
  height?: number;
};

/** The stacked bars; a skeleton while loading and an empty state when there were no requests. */
export function RequestsChart({ stats, loading, label, height = 220 }: RequestsChartProps) {
  if (loading || !stats) return <Skeleton className="h-56 w-full rounded-lg" />;
  if (stats.totals.requestCount === 0) {
    return (
      <EmptyState
        icon={<ChartIcon size={22} />}
        title="No requests in the last 24 hours"
        description="Requests appear here by the hour as events are delivered."
        className="py-8"
      />
    );
  }
  const rows: Row[] = stats.buckets.map((bucket) => ({
    ...bucket,
    // Each bar is labelled by when its hour ends, so the last one reads "now"'s time and a request
    // sent at 14:27 sits in the bar marked 14:29, not 13:29.
    label: formatHour(bucket.start + 3_600_000),
    total: bucket.succeeded + bucket.failed + bucket.retrying,
  }));
  const hasRetrying = stats.totals.retryingCount > 0;
  const summary = `${label}: ${stats.totals.requestCount} requests, ${stats.totals.successCount} succeeded, ${stats.totals.failedCount} failed${hasRetrying ? `, ${stats.totals.retryingCount} in flight` : ""}.`;
  return (
    <figure data-testid="requests-chart" aria-label={summary} className="m-0">
      {/* No keyboard layer: it was an unnamed tab stop; the figure's caption states the numbers. */}
      <BarChart
        responsive
        style={{ width: "100%", height }}
        data={rows}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        accessibilityLayer={false}
      >
        <CartesianGrid vertical={false} stroke={GRID_COLOR} />
        {/* Recharts drops labels that would overlap, so a phone gets fewer ticks than a desktop; counted back
            from the last hour (now), so they stay evenly spaced (preserveStartEnd left one short gap at the end). */}
        <XAxis
          dataKey="label"
          tickLine={false}
          axisLine={false}
          interval="preserveEnd"
          minTickGap={28}
          tick={{ fontSize: 11, fill: AXIS_COLOR }}
        />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} tick={{ fontSize: 11, fill: AXIS_COLOR }} width={36} />
        <Tooltip content={ChartTooltip} cursor={{ fill: "var(--color-chart-cursor)" }} />
        {/* Legend text in the body colour: the series colours on the canvas fail contrast (2.2-3.8:1). */}
        <Legend iconType="circle" iconSize={8} itemSorter={null} wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
        <Bar
          dataKey="succeeded"
          name={OUTCOME_LABELS.succeeded}
          stackId="requests"
          fill={OUTCOME_COLORS.succeeded}
          isAnimationActive={false}
        />
        <Bar dataKey="failed" name={OUTCOME_LABELS.failed} stackId="requests" fill={OUTCOME_COLORS.failed} isAnimationActive={false} />
        {hasRetrying && (
          <Bar
            dataKey="retrying"
            name={OUTCOME_LABELS.retrying}
            stackId="requests"
            fill={OUTCOME_COLORS.retrying}
            isAnimationActive={false}
          />
        )}
      </BarChart>
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
