"use client";

// The webhooks list's 24 h sparkline: requests per hour, failures stacked in red, in-flight in
// amber. Plain SVG, not recharts: 24 bars need no chart library, and the list (the console's
// landing page) then ships and runs none (issue 13: its chart chunk was most of the blocking time).
// Hovering shows the hour under the pointer in the console's (Radix) tooltip; the picture itself
// is one labelled image, not a tab stop (the row's link is the keyboard's way in).
import dynamic from "next/dynamic";
import { useState, type PointerEvent } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import type { TableColumn } from "@/components/ui/table";
import type { HookOutput } from "@/lib/hooks/schemas";
import { HOUR_MS, LOG_WINDOW_MS } from "@/lib/deliveries/constants";
import { OUTCOME_COLORS } from "./chart-colors";
import { useSparkline } from "./queries";
import { formatHour } from "./request-status";

const SparklineTooltip = dynamic(() => import("./sparkline-tooltip").then((module) => module.SparklineTooltip), { ssr: false });

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

const plural = (count: number) => `${count.toLocaleString()} ${count === 1 ? "request" : "requests"}`;

/** "13:27 – 14:27: 12 requests (2 failed)": bucket `index` of the window that ends at `windowEnd`. */
export function bucketLabel(windowEnd: number, index: number, counts: { requests: number; failed: number; pending: number }) {
  const start = windowEnd - LOG_WINDOW_MS + index * HOUR_MS;
  const extra = [counts.failed > 0 ? `${counts.failed} failed` : "", counts.pending > 0 ? `${counts.pending} in flight` : ""]
    .filter(Boolean)
    .join(", ");
  return `${formatHour(start)} – ${formatHour(start + HOUR_MS)}: ${plural(counts.requests)}${extra ? ` (${extra})` : ""}`;
}

export function HookSparkline({ hookId, muted = false }: { hookId: string; muted?: boolean }) {
  const sparkline = useSparkline(hookId);
  // The hovered hour; the tooltip's code loads on the first hover.
  const [hovered, setHovered] = useState<number | null>(null);
  const [tooltipWanted, setTooltipWanted] = useState(false);
  if (sparkline.isPending) return <Skeleton className="h-7 w-24" />;
  if (sparkline.isError) return <span className="text-xs text-ink-muted">-</span>;
  const { requests, failures, retrying, totals } = sparkline.data;
  const total = totals.requestCount;
  const slot = WIDTH / Math.max(1, requests.length);
  const busiest = Math.max(1, ...requests);
  // Room for the minimum heights of a three-part bar.
  const scale = (HEIGHT - 1 - 2 * MIN_PART) / busiest;
  const inFlight = totals.retryingCount > 0 ? `, ${totals.retryingCount} in flight` : "";
  const label =
    total === 0 ? "No requests in the last 24 hours" : `${plural(total)} in the last 24 hours, ${totals.failedCount} failed${inFlight}`;

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const x = event.clientX - event.currentTarget.getBoundingClientRect().left;
    setHovered(Math.min(requests.length - 1, Math.max(0, Math.floor(x / slot))));
    setTooltipWanted(true);
  };
  // The buckets end when the server answered, which is when the query's data was fetched.
  const text =
    hovered === null
      ? null
      : bucketLabel(sparkline.dataUpdatedAt, hovered, {
          requests: requests[hovered] ?? 0,
          failed: failures[hovered] ?? 0,
          pending: retrying[hovered] ?? 0,
        });

  return (
    <div
      role="img"
      aria-label={label}
      data-testid="sparkline"
      className={muted ? "relative w-fit opacity-50" : "relative w-fit"}
      onPointerMove={onPointerMove}
      onPointerLeave={() => setHovered(null)}
    >
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" className="block overflow-visible">
        <line x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke="var(--color-line-strong)" />
        {requests.map((count, index) => {
          if (count === 0) return null;
          const failed = failures[index] ?? 0;
          const pending = retrying[index] ?? 0;
          const parts = bar(
            [
              { value: count - failed - pending, color: OUTCOME_COLORS.succeeded },
              { value: failed, color: OUTCOME_COLORS.failed },
              { value: pending, color: OUTCOME_COLORS.retrying },
            ],
            scale,
          );
          return (
            <g key={index} className={hovered === index ? "opacity-70" : undefined}>
              {parts.map((part) => (
                <rect
                  key={part.color}
                  x={index * slot + 0.5}
                  y={part.y}
                  width={Math.max(1, slot - 1)}
                  height={part.height}
                  fill={part.color}
                />
              ))}
            </g>
          );
        })}
      </svg>
      {tooltipWanted && <SparklineTooltip left={(hovered ?? 0) * slot} width={slot} text={text} />}
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
