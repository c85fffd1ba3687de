"use client";

import { Button, Card } from "@/components/ui";
import { formatPercent, InFlight, successRateTone } from "@/components/webhooks/success-rate";
import { successRate } from "@/lib/deliveries/schemas";
import { useHookChart } from "./queries";
import { RequestsChart } from "./requests-chart";

const toneText = { error: "text-red-700", warning: "text-amber-700", success: "text-green-700" } as const;

/** One webhook's requests per hour over the last 24 h, with its success rate. */
export function HookRequestsChart({ hookId }: { hookId: string }) {
  const chart = useHookChart(hookId);
  const totals = chart.data?.totals;
  const rate = totals ? successRate(totals) : null;
  return (
    <Card
      title="Requests per hour"
      description="Last 24 hours, by outcome. Retries of a request count once; the success rate counts settled requests only."
      actions={
        totals && (rate !== null || totals.retryingCount > 0) ? (
          <p className="text-sm text-ink-muted sm:text-right" data-testid="chart-summary">
            {rate !== null && (
              <>
                <span className={`text-base font-semibold tabular-nums ${toneText[successRateTone(rate)]}`}>{formatPercent(rate)}</span>{" "}
                success
                <br />
              </>
            )}
            <span className="tabular-nums">{totals.requestCount.toLocaleString()}</span>{" "}
            {totals.requestCount === 1 ? "request" : "requests"}
            {totals.retryingCount > 0 && (
              <>
                {" · "}
                <InFlight count={totals.retryingCount} />
              </>
            )}
          </p>
        ) : undefined
      }
    >
      {chart.isError ? (
        <div className="flex items-center justify-between gap-4 text-sm text-ink-muted">
          <span>Could not load the chart: {chart.error.message}</span>
          <Button variant="secondary" size="sm" onClick={() => void chart.refetch()}>
            Try again
          </Button>
        </div>
      ) : (
        <RequestsChart stats={chart.data} loading={chart.isPending} label="Requests per hour over the last 24 hours" />
      )}
    </Card>
  );
}
