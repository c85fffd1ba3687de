// The request log's constants and pure helpers, without zod: the webhooks list (the console's
// landing page) imports these, and a value import of schemas.ts would ship zod to it.

/** "Recent requests (24h)", the health numbers and the charts all look back this far. */
export const DELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
/** One bucket per hour of the window, oldest first. */
export const BUCKET_COUNT = DELIVERY_WINDOW_MS / HOUR_MS;

export const DELIVERIES_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/**
 * Percent of the settled requests that succeeded; null when none has settled. Requests still in
 * flight count neither way: a slow but healthy endpoint is not "0 %" while its requests are out.
 */
export function successRate(totals: { successCount: number; failedCount: number }) {
  const settled = totals.successCount + totals.failedCount;
  return settled === 0 ? null : (totals.successCount / settled) * 100;
}

/** A response missing, or an error status: what the table paints red. */
export const isErrorStatus = (status: number | null) => status === null || status >= 400;
