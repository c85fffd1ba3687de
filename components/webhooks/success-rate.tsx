import { cn } from "@/components/ui/cn";
import { Tag } from "@/components/ui/tag";
import { successRate } from "@/lib/deliveries/constants";
import type { RequestTotals } from "@/lib/deliveries/schemas";

export type RateTone = "error" | "warning" | "success";

/** Logto's thresholds: red below 90 %, amber below 99 %, green otherwise. */
export function successRateTone(percent: number): RateTone {
  return percent < 90 ? "error" : percent < 99 ? "warning" : "success";
}

export function formatPercent(percent: number) {
  // Whole numbers stay short ("100%"); others keep the precision that decides the colour.
  return Number.isInteger(percent) ? `${percent}%` : `${percent.toFixed(2)}%`;
}

const toneStyles: Record<RateTone, { text: string; dot: string }> = {
  error: { text: "text-red-700", dot: "bg-red-500" },
  warning: { text: "text-amber-700", dot: "bg-amber-500" },
  success: { text: "text-green-700", dot: "bg-green-500" },
};

type Totals = Pick<RequestTotals, "successCount" | "failedCount" | "retryingCount">;

/** "3 in flight": requests sent but not settled (being sent, or waiting for a retry). */
export function InFlight({ count, className }: { count: number; className?: string }) {
  return (
    <span data-testid="in-flight" className={cn("whitespace-nowrap text-amber-800", className)}>
      {count.toLocaleString()} in flight
    </span>
  );
}

/**
 * Success rate of the settled requests of the last 24 h, with the ones still in flight beside
 * it; "-" when there were none.
 */
/** `held`: the endpoint is paused, so its unsettled requests are held (the health tag says so), not in flight. */
export function SuccessRate({ totals, held = false }: { totals?: Totals; held?: boolean }) {
  const rate = totals ? successRate(totals) : null;
  const inFlight = held ? 0 : (totals?.retryingCount ?? 0);
  if (rate === null && inFlight === 0) return <span className="text-ink-muted">-</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-0.5">
      {rate !== null && (
        <span
          data-testid="success-rate"
          data-tone={successRateTone(rate)}
          className={cn("inline-flex items-center gap-1.5 font-medium tabular-nums", toneStyles[successRateTone(rate)].text)}
        >
          <span aria-hidden="true" className={cn("size-2 shrink-0 rounded-full", toneStyles[successRateTone(rate)].dot)} />
          {formatPercent(rate)}
        </span>
      )}
      {inFlight > 0 && <InFlight count={inFlight} className="text-xs" />}
    </span>
  );
}

const tagColor = { error: "error", warning: "warning", success: "success" } as const;

/** The details header's tag, as in Logto: "Success rate 98.5%" coloured by the thresholds. */
export function SuccessRateTag({ totals }: { totals: Totals }) {
  const rate = successRate(totals);
  if (rate === null) return null;
  return (
    <span data-testid="header-success-rate">
      <Tag color={tagColor[successRateTone(rate)]}>Success rate {formatPercent(rate)}</Tag>
    </span>
  );
}
