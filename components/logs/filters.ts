// The Recent requests filters as URL search params, so Back, reload and links keep them.
import { isHookEvent } from "@/lib/hooks/events";
import { DELIVERY_RESULTS, type DeliveryResult } from "@/lib/deliveries/schemas";
import type { LogFilters } from "./queries";

const isResult = (value: string): value is DeliveryResult => (DELIVERY_RESULTS as readonly string[]).includes(value);

/** Unknown values are dropped rather than sent: a stale link still opens the unfiltered list. */
export function filtersFrom(params: URLSearchParams): LogFilters {
  const event = params.get("event") ?? "";
  const result = params.get("result") ?? "";
  return { ...(isHookEvent(event) ? { event } : {}), ...(isResult(result) ? { result } : {}) };
}

export function filtersQuery(filters: LogFilters) {
  const params = new URLSearchParams();
  if (filters.event) params.set("event", filters.event);
  if (filters.result) params.set("result", filters.result);
  const query = params.toString();
  return query ? `?${query}` : "";
}
