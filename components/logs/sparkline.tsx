"use client";

// The webhooks list's 24 h sparkline: requests per hour, failures stacked in red.
import { Bar, BarChart, Tooltip, type TooltipContentProps } from "recharts";
import { Skeleton, type TableColumn } from "@/components/ui";
import type { HookOutput } from "@/lib/hooks/schemas";
import { HOUR_MS, LOG_WINDOW_MS } from "@/lib/logs/schemas";
import { useSparkline } from "./queries";
import { OUTCOME_COLORS } from "./requests-chart";
import { formatHour } from "./request-status";

type Point = { start: number; ok: number; failed: number };

function SparkTooltip({ active, payload }: TooltipContentProps) {
  const point = payload?.[0]?.payload as Point | undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded border border-line bg-surface px-2 py-1 text-[11px] text-ink shadow-md">
      {formatHour(point.start)}: {point.ok + point.failed} requests
      {point.failed > 0 && <span className="text-red-700"> ({point.failed} failed)</span>}
    </div>
  );
}

export function HookSparkline({ hookId, muted = false }: { hookId: string; muted?: boolean }) {
  const sparkline = useSparkline(hookId);
  if (sparkline.isPending) return <Skeleton className="h-7 w-24" />;
  if (sparkline.isError) return <span className="text-xs text-ink-muted">-</span>;
  const { requests, failures } = sparkline.data;
  const total = requests.reduce((sum, value) => sum + value, 0);
  const failed = failures.reduce((sum, value) => sum + value, 0);
  // The buckets end when the server answered, which is about when the data arrived.
  const from = sparkline.dataUpdatedAt - LOG_WINDOW_MS;
  const points: Point[] = requests.map((count, index) => ({ start: from + index * HOUR_MS, ok: count - failures[index], failed: failures[index] }));
  const label = total === 0 ? "No requests in the last 24 hours" : `${total} requests in the last 24 hours, ${failed} failed`;
  return (
    <div role="img" aria-label={label} data-testid="sparkline" className={muted ? "opacity-50" : undefined}>
      {total === 0 ? (
        <div className="flex h-7 w-24 items-end">
          <div className="h-px w-full bg-line-strong" />
        </div>
      ) : (
        <BarChart width={96} height={28} data={points} margin={{ top: 1, right: 0, bottom: 0, left: 0 }} barCategoryGap={1}>
          <Tooltip content={SparkTooltip} cursor={false} allowEscapeViewBox={{ x: true, y: true }} wrapperStyle={{ zIndex: 20 }} />
          <Bar dataKey="ok" stackId="s" fill={OUTCOME_COLORS.succeeded} isAnimationActive={false} />
          <Bar dataKey="failed" stackId="s" fill={OUTCOME_COLORS.failed} isAnimationActive={false} />
        </BarChart>
      )}
    </div>
  );
}

/** The column for the webhooks list's sparkline slot. Disabled hooks keep their history, dimmed. */
export const sparklineColumn: TableColumn<HookOutput> = {
  key: "sparkline",
  header: "Last 24h",
  className: "w-32",
  render: (hook) => <HookSparkline hookId={hook.id} muted={!hook.enabled} />,
};
