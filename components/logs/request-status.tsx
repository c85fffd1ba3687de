// How one request's outcome reads in the table and on its details page, and the shared formats.
import { cn } from "@/components/ui/cn";
import { Tag } from "@/components/ui/tag";
import { isErrorStatus } from "@/lib/deliveries/constants";
import type { DeliverySummary } from "@/lib/deliveries/schemas";

// Built on first use: constructing an Intl formatter loads locale data, which cost the webhooks
// list (which imports this module but formats no time on its first paint) ~30 ms at start-up.
function lazyFormat(options: Intl.DateTimeFormatOptions) {
  let format: Intl.DateTimeFormat | undefined;
  return (ms: number) => (format ??= new Intl.DateTimeFormat(undefined, options)).format(ms);
}

export const formatTime = lazyFormat({ month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
export const formatHour = lazyFormat({ hour: "2-digit", minute: "2-digit" });

export function formatDuration(ms: number | null) {
  if (ms === null) return "-";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * The response code, or "Request error" when none came back (timeout, refused, network); red
 * when missing, >= 400 or failed. Queued requests have not been sent yet; retrying ones say so.
 */
export function RequestStatus({
  request,
  className,
}: {
  request: Pick<DeliverySummary, "status" | "attempts" | "responseStatus" | "error">;
  className?: string;
}) {
  if (request.status === "pending" && request.attempts === 0) {
    return (
      <span className={cn("inline-flex items-center gap-2", className)}>
        <Tag color="neutral">Queued</Tag>
      </span>
    );
  }
  // A 3xx is not followed, so it is a failure too, whatever its colour by the code alone.
  const failed = request.status === "failed" || isErrorStatus(request.responseStatus);
  return (
    <span className={cn("inline-flex items-center gap-2", className)} title={request.error ?? undefined}>
      <Tag
        variant="dot"
        color={failed ? "error" : "success"}
        className={cn("font-medium tabular-nums", failed ? "text-red-700" : "text-green-700")}
      >
        {request.responseStatus ?? "Request error"}
      </Tag>
      {request.status === "pending" && <Tag color="warning">Retrying</Tag>}
    </span>
  );
}
