// The webhooks list's 24 h sparkline: requests per hour, failures stacked in red, in-flight in
// amber. Plain SVG drawn on the server (no "use client"): the list renders on the server, so its
// bars cost the phone no script at all; only the hover readout is a client island
// (sparkline-hover.tsx). The picture is one labelled image, not a tab stop (the row's link is the
// keyboard's way in).
import type { Sparkline } from "@/lib/deliveries/schemas";
import { OUTCOME_COLORS } from "./chart-colors";
import { SparklineHover } from "./sparkline-hover";

export const SPARKLINE_WIDTH = 96;
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

/** What the picture says as a whole (its accessible name). */
export function sparklineLabel({ totals }: Pick<Sparkline, "totals">) {
  const inFlight = totals.retryingCount > 0 ? `, ${totals.retryingCount} in flight` : "";
  return totals.requestCount === 0
    ? "No requests in the last 24 hours"
    : `${plural(totals.requestCount)} in the last 24 hours, ${totals.failedCount} failed${inFlight}`;
}

/**
 * One hook's sparkline; `windowEnd` is when its buckets were read (the last bar is the hour
 * before it). Disabled hooks keep their history, dimmed (`muted`).
 */
export function HookSparkline({ sparkline, windowEnd, muted = false }: { sparkline: Sparkline; windowEnd: number; muted?: boolean }) {
  const { requests, failures, retrying } = sparkline;
  const slot = SPARKLINE_WIDTH / Math.max(1, requests.length);
  const busiest = Math.max(1, ...requests);
  // Room for the minimum heights of a three-part bar.
  const scale = (HEIGHT - 1 - 2 * MIN_PART) / busiest;
  return (
    <SparklineHover label={sparklineLabel(sparkline)} muted={muted} windowEnd={windowEnd} counts={{ requests, failures, retrying }}>
      <svg
        width={SPARKLINE_WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${SPARKLINE_WIDTH} ${HEIGHT}`}
        aria-hidden="true"
        className="block overflow-visible"
      >
        <line x1={0} x2={SPARKLINE_WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke="var(--color-line-strong)" />
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
            <g key={index}>
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
    </SparklineHover>
  );
}
