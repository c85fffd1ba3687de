// The Recent requests filters and page as URL search params, so Back, reload and links keep them.
import { isHookEvent } from "@/lib/hooks/events";
import { DELIVERY_RESULTS, type DeliveryResult } from "@/lib/deliveries/schemas";
import type { DeliveryFilters } from "./queries";

const isResult = (value: string): value is DeliveryResult => (DELIVERY_RESULTS as readonly string[]).includes(value);

/** Unknown values are dropped rather than sent: a stale link still opens the unfiltered list (page 1 is the default, so never in the URL). */
export function filtersFrom(params: URLSearchParams): DeliveryFilters {
  const event = params.get("event") ?? "";
  const result = params.get("result") ?? "";
  const page = Number(params.get("page"));
  return {
    ...(isHookEvent(event) ? { event } : {}),
    ...(isResult(result) ? { result } : {}),
    ...(Number.isInteger(page) && page > 1 ? { page } : {}),
  };
}

export function filtersQuery(filters: DeliveryFilters) {
  const params = new URLSearchParams();
  if (filters.event) params.set("event", filters.event);
  if (filters.result) params.set("result", filters.result);
  if (filters.page && filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}
