"use client";

// The webhooks list's 24 h sparkline: requests per hour, failures stacked in red, in-flight in
// amber. Plain SVG, not recharts: 24 bars need no chart library, and the list (the console's
// landing page) then ships and runs none (issue 13: its chart chunk was most of the blocking time).
import { Skeleton, type TableColumn } from "@/components/ui";
import type { HookOutput } from "@/lib/hooks/schemas";
import { HOUR_MS, LOG_WINDOW_MS } from "@/lib/deliveries/schemas";
import { OUTCOME_COLORS } from "./chart-colors";
import { useSparkline } from "./queries";
import { formatHour } from "./request-status";

const WIDTH = 96;
const HEIGHT = 28;
/** Non-empty parts of a bar are at least this tall, however busy the busiest hour. */
const MIN_PART = 3;

type Part = { value: number; color: string };

function bar(parts: Part[], scale: number) {
  let y = HEIGHT;
  return parts
    .filter((part) => part.value > 0)
    .map((part) => {
      const height = Math.max(MIN_PART, part.value * scale);
      y -= height;
      return { y, height, color: part.color };
    });
}

export function HookSparkline({ hookId, muted = false }: { hookId: string; muted?: boolean }) {
  const sparkline = useSparkline(hookId);
  if (sparkline.isPending) return <Skeleton className="h-7 w-24" />;
  if (sparkline.isError) return <span className="text-xs text-ink-muted">-</span>;
  const { requests, failures, retrying, totals } = sparkline.data;
  const total = totals.requestCount;
  // The buckets end when the server answered, which is about when the data arrived.
  const from = sparkline.dataUpdatedAt - LOG_WINDOW_MS;
  const busiest = Math.max(1, ...requests);
  const slot = WIDTH / Math.max(1, requests.length);
  // Room for the minimum heights of a three-part bar.
  const scale = (HEIGHT - 1 - 2 * MIN_PART) / busiest;
  const inFlight = totals.retryingCount > 0 ? `, ${totals.retryingCount} in flight` : "";
  const label = total === 0 ? "No requests in the last 24 hours" : `${total} requests in the last 24 hours, ${totals.failedCount} failed${inFlight}`;
  return (
    // A picture, not a widget: no tab stop; the label says what it shows, each bar's title the hour.
    <div role="img" aria-label={label} data-testid="sparkline" className={muted ? "opacity-50" : undefined}>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" className="block overflow-visible">
        <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke="var(--color-line-strong)" />
        {requests.map((count, index) => {
          if (count === 0) return null;
          const failed = failures[index] ?? 0;
          const pending = retrying[index] ?? 0;
          const start = from + index * HOUR_MS;
          const parts = bar(
            [
              { value: count - failed - pending, color: OUTCOME_COLORS.succeeded },
              { value: failed, color: OUTCOME_COLORS.failed },
              { value: pending, color: OUTCOME_COLORS.retrying },
            ],
            scale,
          );
          const extra = [failed > 0 ? `${failed} failed` : "", pending > 0 ? `${pending} in flight` : ""].filter(Boolean).join(", ");
          return (
            <g key={index}>
              <title>{`${formatHour(start)} – ${formatHour(start + HOUR_MS)}: ${count} requests${extra ? ` (${extra})` : ""}`}</title>
              {/* A full-height, invisible target so the hour's title shows anywhere over its slot. */}
              <rect x={index * slot} y={0} width={slot} height={HEIGHT} fill="transparent" />
              {parts.map((part) => (
                <rect key={part.color} x={index * slot + 0.5} y={part.y} width={Math.max(1, slot - 1)} height={part.height} fill={part.color} />
              ))}
            </g>
          );
        })}
      </svg>
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
