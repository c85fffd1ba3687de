// How one request's outcome reads in the table and on its details page (the formats: format.ts).
import { cn } from "@/components/ui/cn";
import { Tag } from "@/components/ui/tag";
import { isErrorStatus } from "@/lib/deliveries/constants";
import type { DeliverySummary } from "@/lib/deliveries/schemas";

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
