// The console's reads of the request log and its stats, and the resend mutation. Every key comes
// from the query-key factory; open views poll so new requests show up without a reload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, unwrapAction } from "@/lib/client/api";
import { resendDeliveryAction } from "@/lib/deliveries/actions";
import { queryKeys } from "@/lib/client/query-keys";
import { hookPath } from "@/components/webhooks/queries";
import { BUCKET_COUNT, DELIVERIES_PAGE_SIZE, MAX_PAGE_SIZE } from "@/lib/deliveries/constants";
import type {
  DeliveryDetails,
  DeliveryPage,
  DeliveryResult,
  HourlyStats,
  OverviewStats,
  Sparkline,
  SparklineMap,
} from "@/lib/deliveries/schemas";

/** How often open log views refresh themselves. */
export const LOG_REFRESH_MS = 5_000;
/** Stats move slowly (hourly buckets): the list and overview refresh less often. */
export const STATS_REFRESH_MS = 30_000;

/** The table's filters and its 1-based page. */
export type LogFilters = { event?: string; result?: DeliveryResult; page?: number };

/** One numbered page of the Recent requests table, with the total of matching requests. */
export function useDeliveries(hookId: string, filters: LogFilters) {
  return useQuery({
    queryKey: queryKeys.hooks.logs(hookId, filters),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ page: String(filters.page ?? 1), limit: String(DELIVERIES_PAGE_SIZE) });
      if (filters.event) params.set("event", filters.event);
      if (filters.result) params.set("result", filters.result);
      return apiFetch<DeliveryPage>(`${hookPath(hookId)}/deliveries?${params.toString()}`, { signal });
    },
    refetchInterval: LOG_REFRESH_MS,
    // Changing a filter or the page keeps the old rows on screen until the new ones arrive.
    placeholderData: (previous) => previous,
  });
}

export function useDelivery(hookId: string, deliveryId: string) {
  return useQuery({
    queryKey: queryKeys.hooks.log(hookId, deliveryId),
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
      queryClient.setQueryData(queryKeys.hooks.log(hookId, resent.id), resent);
      void queryClient.invalidateQueries({ queryKey: queryKeys.hooks.allLogs(hookId) });
    },
  });
}

export function useHookChart(hookId: string) {
  return useQuery({
    queryKey: queryKeys.hooks.chart(hookId),
    queryFn: ({ signal }) => apiFetch<HourlyStats>(`${hookPath(hookId)}/stats`, { signal }),
    refetchInterval: LOG_REFRESH_MS,
  });
}

export function useOverview() {
  return useQuery({
    queryKey: queryKeys.overview,
    queryFn: ({ signal }) => apiFetch<OverviewStats>("/api/stats/overview", { signal }),
    refetchInterval: STATS_REFRESH_MS,
  });
}

// ---- sparklines, one request per list page ----------------------------------------------------

/**
 * Each row asks for its own hook's sparkline (so each has its own cache entry), but the asks of
 * one render land in the same batch and go out as a single `?ids=…` request.
 */
type Batch = { ids: Set<string>; result: Promise<SparklineMap> };
let open: Batch | null = null;
const BATCH_WINDOW_MS = 10;

const zeros = () => new Array<number>(BUCKET_COUNT).fill(0);
const EMPTY_SPARKLINE: Sparkline = {
  requests: zeros(),
  failures: zeros(),
  retrying: zeros(),
  totals: { requestCount: 0, successCount: 0, failedCount: 0, retryingCount: 0 },
};

function loadSparkline(hookId: string): Promise<Sparkline> {
  if (!open || open.ids.size >= MAX_PAGE_SIZE) {
    const ids = new Set<string>();
    const result = new Promise<SparklineMap>((resolve, reject) => {
      setTimeout(() => {
        if (open?.ids === ids) open = null;
        const list = [...ids].map(encodeURIComponent).join(",");
        apiFetch<SparklineMap>(`/api/stats/sparklines?ids=${list}`).then(resolve, reject);
      }, BATCH_WINDOW_MS);
    });
    open = { ids, result };
  }
  const batch = open;
  batch.ids.add(hookId);
  return batch.result.then((map) => map[hookId] ?? EMPTY_SPARKLINE);
}

export function useSparkline(hookId: string) {
  return useQuery({
    queryKey: queryKeys.hooks.sparkline(hookId),
    queryFn: () => loadSparkline(hookId),
    refetchInterval: STATS_REFRESH_MS,
  });
}
