"use client";

// The sparkline's hover readout: the hour under the pointer in the console's (Radix) tooltip,
// whose code loads on the first hover (the list's first paint ships no Radix popper). The bars
// themselves are drawn on the server and come in as children.
import dynamic from "next/dynamic";
import { useState, type PointerEvent, type ReactNode } from "react";
import { HOUR_MS, DELIVERY_WINDOW_MS } from "@/lib/deliveries/constants";
import { formatHour } from "./format";

const SparklineTooltip = dynamic(() => import("./sparkline-tooltip").then((module) => module.SparklineTooltip), { ssr: false });

type Counts = { requests: number[]; failures: number[]; retrying: number[] };

const plural = (count: number) => `${count.toLocaleString()} ${count === 1 ? "request" : "requests"}`;

/** "13:27 – 14:27: 12 requests (2 failed)": bucket `index` of the window that ends at `windowEnd`. */
export function bucketLabel(windowEnd: number, index: number, counts: { requests: number; failed: number; pending: number }) {
  const start = windowEnd - DELIVERY_WINDOW_MS + index * HOUR_MS;
  const extra = [counts.failed > 0 ? `${counts.failed} failed` : "", counts.pending > 0 ? `${counts.pending} in flight` : ""]
    .filter(Boolean)
    .join(", ");
  return `${formatHour(start)} – ${formatHour(start + HOUR_MS)}: ${plural(counts.requests)}${extra ? ` (${extra})` : ""}`;
}

export function SparklineHover({
  label,
  muted,
  windowEnd,
  counts,
  children,
}: {
  label: string;
  muted: boolean;
  windowEnd: number;
  counts: Counts;
  children: ReactNode;
}) {
  const [hovered, setHovered] = useState<number | null>(null);
  const [tooltipWanted, setTooltipWanted] = useState(false);
  const buckets = counts.requests.length;
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const slot = box.width / Math.max(1, buckets);
    setHovered(Math.min(buckets - 1, Math.max(0, Math.floor((event.clientX - box.left) / slot))));
    setTooltipWanted(true);
  };
  const text =
    hovered === null
      ? null
      : bucketLabel(windowEnd, hovered, {
          requests: counts.requests[hovered] ?? 0,
          failed: counts.failures[hovered] ?? 0,
          pending: counts.retrying[hovered] ?? 0,
        });
  const slotPercent = 100 / Math.max(1, buckets);
  return (
    <div
      role="img"
      aria-label={label}
      data-testid="sparkline"
      className={muted ? "relative w-fit opacity-50" : "relative w-fit"}
      onPointerMove={onPointerMove}
      onPointerLeave={() => setHovered(null)}
    >
      {children}
      {/* The hovered hour, lightened: 30 % of the page's colour over the bar reads as 70 % opacity in both themes. */}
      {hovered !== null && (
        <span
          aria-hidden="true"
          className="pointer-events-none absolute inset-y-0 bg-canvas/30"
          style={{ left: `${hovered * slotPercent}%`, width: `${slotPercent}%` }}
        />
      )}
      {tooltipWanted && <SparklineTooltip left={`${(hovered ?? 0) * slotPercent}%`} width={`${slotPercent}%`} text={text} />}
    </div>
  );
}
