import { cn } from "@/components/ui";
import type { ExecutionStats } from "@/lib/hooks/schemas";

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

/** Success rate of the last 24 h, or "-" when there were no requests. */
export function SuccessRate({ stats }: { stats?: ExecutionStats }) {
  if (!stats || stats.requestCount === 0) return <span className="text-ink-muted">-</span>;
  const percent = (stats.successCount / stats.requestCount) * 100;
  const tone = successRateTone(percent);
  return (
    <span data-tone={tone} className={cn("inline-flex items-center gap-1.5 font-medium tabular-nums", toneStyles[tone].text)}>
      <span aria-hidden="true" className={cn("size-2 shrink-0 rounded-full", toneStyles[tone].dot)} />
      {formatPercent(percent)}
    </span>
  );
}
