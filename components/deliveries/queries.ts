// The console's reads of deliveries (its "requests") and their stats, and the resend mutation. Every key comes
// from the query-key factory; open views poll so new requests show up without a reload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, unwrapAction } from "@/lib/client/api";
import { resendDeliveryAction } from "@/lib/deliveries/actions";
import { queryKeys } from "@/lib/client/query-keys";
import { hookPath } from "@/components/webhooks/queries";
import { DELIVERIES_PAGE_SIZE } from "@/lib/deliveries/constants";
import type { DeliveryDetails, DeliveryPage, DeliveryResult, HourlyStats, OverviewStats } from "@/lib/deliveries/schemas";

import { DELIVERIES_REFRESH_MS, STATS_REFRESH_MS } from "./refresh";

export { DELIVERIES_REFRESH_MS, STATS_REFRESH_MS };

/** The table's filters and its 1-based page. */
export type DeliveryFilters = { event?: string; result?: DeliveryResult; page?: number };

/** One numbered page of the Recent requests table, with the total of matching requests. */
export function useDeliveries(hookId: string, filters: DeliveryFilters) {
  return useQuery({
    queryKey: queryKeys.hooks.deliveries(hookId, filters),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ page: String(filters.page ?? 1), limit: String(DELIVERIES_PAGE_SIZE) });
      if (filters.event) params.set("event", filters.event);
      if (filters.result) params.set("result", filters.result);
      return apiFetch<DeliveryPage>(`${hookPath(hookId)}/deliveries?${params.toString()}`, { signal });
    },
    refetchInterval: DELIVERIES_REFRESH_MS,
    // Changing a filter or the page keeps the old rows on screen until the new ones arrive.
    placeholderData: (previous) => previous,
  });
}

export function useDelivery(hookId: string, deliveryId: string) {
  return useQuery({
    queryKey: queryKeys.hooks.delivery(hookId, deliveryId),
    queryFn: ({ signal }) => apiFetch<DeliveryDetails>(`${hookPath(hookId)}/deliveries/${encodeURIComponent(deliveryId)}`, { signal }),
    // A request still being delivered changes as its attempts land; a finished one never does.
    refetchInterval: (query) => (query.state.data?.status === "pending" ? 1_000 : false),
  });
}

export function useResendDelivery(hookId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) => unwrapAction(resendDeliveryAction(hookId, deliveryId)),
    onSuccess: (resent) => {
      queryClient.setQueryData(queryKeys.hooks.delivery(hookId, resent.id), resent);
      void queryClient.invalidateQueries({ queryKey: queryKeys.hooks.allDeliveries(hookId) });
    },
  });
}

export function useHookChart(hookId: string) {
  return useQuery({
    queryKey: queryKeys.hooks.chart(hookId),
    queryFn: ({ signal }) => apiFetch<HourlyStats>(`${hookPath(hookId)}/stats`, { signal }),
    refetchInterval: DELIVERIES_REFRESH_MS,
  });
}

export function useOverview() {
  return useQuery({
    queryKey: queryKeys.overview,
    queryFn: ({ signal }) => apiFetch<OverviewStats>("/api/stats/overview", { signal }),
    refetchInterval: STATS_REFRESH_MS,
  });
}
