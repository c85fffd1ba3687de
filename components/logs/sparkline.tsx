"use client";

// The webhooks list's 24 h sparkline: requests per hour, failures stacked in red.
import { Bar, BarChart, Tooltip, type TooltipContentProps } from "recharts";
import { Skeleton, type TableColumn } from "@/components/ui";
import type { HookOutput } from "@/lib/hooks/schemas";
import { HOUR_MS, LOG_WINDOW_MS } from "@/lib/deliveries/schemas";
import { useSparkline } from "./queries";
import { OUTCOME_COLORS } from "./requests-chart";
import { formatHour } from "./request-status";

type Point = { start: number; ok: number; failed: number; retrying: number };

function SparkTooltip({ active, payload }: TooltipContentProps) {
  const point = payload?.[0]?.payload as Point | undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded border border-line bg-surface px-2 py-1 text-[11px] text-ink shadow-md">
      {formatHour(point.start)}: {point.ok + point.failed + point.retrying} requests
      {point.failed > 0 && <span className="text-red-700"> ({point.failed} failed)</span>}
      {point.retrying > 0 && <span className="text-amber-800"> ({point.retrying} in flight)</span>}
    </div>
  );
}

/** Non-empty hours are at least 3 px tall, however busy the busiest hour. */
const minBar = (value: number | undefined | null) => (value ? 3 : 0);

export function HookSparkline({ hookId, muted = false }: { hookId: string; muted?: boolean }) {
  const sparkline = useSparkline(hookId);
  if (sparkline.isPending) return <Skeleton className="h-7 w-24" />;
  if (sparkline.isError) return <span className="text-xs text-ink-muted">-</span>;
  const { requests, failures, retrying, totals } = sparkline.data;
  const total = totals.requestCount;
  // The buckets end when the server answered, which is about when the data arrived.
  const from = sparkline.dataUpdatedAt - LOG_WINDOW_MS;
  const points: Point[] = requests.map((count, index) => ({
    start: from + index * HOUR_MS,
    ok: count - failures[index] - retrying[index],
    failed: failures[index],
    retrying: retrying[index],
  }));
  const inFlight = totals.retryingCount > 0 ? `, ${totals.retryingCount} in flight` : "";
  const label = total === 0 ? "No requests in the last 24 hours" : `${total} requests in the last 24 hours, ${totals.failedCount} failed${inFlight}`;
  return (
    <div role="img" aria-label={label} data-testid="sparkline" className={muted ? "opacity-50" : undefined}>
      {total === 0 ? (
        <div className="flex h-7 w-24 items-end">
          <div className="h-px w-full bg-line-strong" />
        </div>
      ) : (
        // A picture, not a widget: no keyboard layer (it made each row an extra, unnamed tab stop
        // whose focus showed the oldest hour); the label says what it shows. The baseline and a
        // minimum bar height keep a lone busy hour readable as a bar on a 24 h line.
        <div className="relative">
          <div aria-hidden="true" className="absolute inset-x-0 bottom-0 h-px bg-line-strong" />
          <BarChart
            width={96}
            height={28}
            data={points}
            margin={{ top: 1, right: 0, bottom: 0, left: 0 }}
            barCategoryGap={1}
            accessibilityLayer={false}
          >
            <Tooltip content={SparkTooltip} cursor={false} allowEscapeViewBox={{ x: true, y: true }} wrapperStyle={{ zIndex: 20 }} />
            <Bar dataKey="ok" stackId="s" fill={OUTCOME_COLORS.succeeded} isAnimationActive={false} minPointSize={minBar} />
            <Bar dataKey="failed" stackId="s" fill={OUTCOME_COLORS.failed} isAnimationActive={false} minPointSize={minBar} />
            <Bar dataKey="retrying" stackId="s" fill={OUTCOME_COLORS.retrying} isAnimationActive={false} minPointSize={minBar} />
          </BarChart>
        </div>
      )}
    </div>
  );
}

/** The column for the webhooks list's sparkline slot. Disabled hooks keep their history, dimmed. */
export const sparklineColumn: TableColumn<HookOutput> = {
  key: "sparkline",
  header: "Last 24h",
  className: "hidden w-32 lg:table-cell",
  render: (hook) => <HookSparkline hookId={hook.id} muted={!hook.enabled} />,
};
