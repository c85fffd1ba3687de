// The request log ("Recent requests") and its stats: query schemas and the shapes that leave the
// server. Browser-safe (zod and types only): the console imports the types and helpers below.
import { z } from "zod";
import { hookEventSchema } from "@/lib/hooks/schemas";

/** "Recent requests (24h)", the health numbers and the charts all look back this far. */
export const LOG_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
/** One bucket per hour of the window, oldest first. */
export const BUCKET_COUNT = LOG_WINDOW_MS / HOUR_MS;

export const DELIVERIES_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

export const DELIVERY_RESULTS = ["success", "failed"] as const;
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number];

const pageSizeSchema = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number.` })
    .int(`${name} must be a whole number.`)
    .min(1, `${name} must be between 1 and ${MAX_PAGE_SIZE}.`)
    .max(MAX_PAGE_SIZE, `${name} must be between 1 and ${MAX_PAGE_SIZE}.`);

/** `GET /api/hooks/:id/deliveries`: the console's table, newest first, keyset-paged. */
export const listDeliveriesQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  event: hookEventSchema.optional(),
  result: z.enum(DELIVERY_RESULTS, { error: 'result must be "success" or "failed".' }).optional(),
  limit: pageSizeSchema("limit").optional(),
});
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>;

/** The largest time a JavaScript Date holds. */
export const MAX_EPOCH_MS = 8.64e15;

const epochMs = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a time in epoch milliseconds.` })
    .int(`${name} must be a time in epoch milliseconds.`)
    .min(0, `${name} must be a time in epoch milliseconds.`)
    .max(MAX_EPOCH_MS, `${name} must be a time in epoch milliseconds.`);

/** `GET /api/hooks/:id/recent-logs`: Logto's query (page, page_size, logKey, start_time, end_time). */
export const recentLogsQuerySchema = z
  .object({
    page: z.coerce
      .number({ error: "page must be a number." })
      .int("page must be a whole number.")
      .min(1, "page starts at 1.")
      .max(1_000_000, "page must be at most 1000000.")
      .default(1),
    page_size: pageSizeSchema("page_size").default(20),
    logKey: z.string().max(200).optional(),
    start_time: epochMs("start_time").optional(),
    end_time: epochMs("end_time").optional(),
  })
  .refine((query) => query.start_time === undefined || query.end_time === undefined || query.start_time <= query.end_time, {
    path: ["start_time"],
    message: "start_time must not be after end_time.",
  });
export type RecentLogsQuery = z.infer<typeof recentLogsQuerySchema>;

/** `GET /api/stats/sparklines?ids=a,b,c`: the hooks of one list page. */
export const sparklinesQuerySchema = z.object({
  ids: z
    .string({ error: "ids is required: a comma-separated list of webhook ids." })
    .transform((value) => [...new Set(value.split(",").map((id) => id.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(64)).max(MAX_PAGE_SIZE, `Ask for at most ${MAX_PAGE_SIZE} webhooks at once.`)),
});

// ---- output -----------------------------------------------------------------------------------

export type DeliveryStatus = "pending" | "succeeded" | "failed";
export type AttemptEntry = { at: string; status: number | null; durationMs: number | null; error: string | null };

/** One row of the Recent requests table. Times are epoch milliseconds. */
export type DeliverySummary = {
  id: string;
  hookId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  /** Status code of the last attempt; null when no response came back. */
  responseStatus: number | null;
  /** Duration of the last attempt. */
  durationMs: number | null;
  error: string | null;
  createdAt: number;
  completedAt: number | null;
  /** Set on a manual resend: the delivery it repeats. */
  resendOfId: string | null;
};

/** A page of the table; `nextCursor` is null on the last page. */
export type DeliveryPage = { items: DeliverySummary[]; nextCursor: string | null };

export type DeliveryDetails = DeliverySummary & {
  eventId: string | null;
  /** When a pending delivery's next attempt is due. */
  nextAttemptAt: number | null;
  requestUrl: string | null;
  /** As sent, credentials redacted. */
  requestHeaders: Record<string, string> | null;
  /** The exact bytes sent on every attempt. */
  requestBody: string;
  responseHeaders: Record<string, string> | null;
  /** The first bytes of the last response. */
  responseBody: string | null;
  attemptLog: AttemptEntry[];
};

/** Logto's hook log entry, plus our extras inside `payload`. */
export type LogtoHookLog = {
  id: string;
  key: string;
  payload: {
    key: string;
    result: "Success" | "Error";
    hookId: string;
    hookRequest: { body: unknown };
    response?: { statusCode: number; body: unknown };
    error?: string;
    // Extras: Logto has no retries, attempt counts or latency in its log.
    status: DeliveryStatus;
    attempts: number;
    durationMs: number | null;
    resendOfId: string | null;
  };
  createdAt: number;
};

/**
 * One hour of requests. Counting rules, the same as `executionStats`: a delivery is one request
 * whatever its retries, once it has been attempted; `retrying` ones failed an attempt and wait
 * for the next.
 */
export type HourBucket = { start: number; succeeded: number; failed: number; retrying: number };

export type RequestTotals = { requestCount: number; successCount: number; failedCount: number; retryingCount: number };

/** The last 24 hours in hourly buckets, oldest first, ending now. */
export type HourlyStats = { from: number; to: number; buckets: HourBucket[]; totals: RequestTotals };

export type HookFailureStats = RequestTotals & { hookId: string; name: string; enabled: boolean };

export type OverviewStats = HourlyStats & {
  hookCount: number;
  enabledHookCount: number;
  /** Hooks with failures in the window, most failures first. */
  topFailing: HookFailureStats[];
};

/** Per hook, requests and failures (failed + retrying) per hour, oldest first. */
export type Sparkline = { requests: number[]; failures: number[] };
export type SparklineMap = Record<string, Sparkline>;

// ---- helpers shared by the server and the console -----------------------------------------------

export const logKeyOf = (event: string) => `TriggerHook.${event}`;

/** The event named by a Logto `logKey`, or null when the key is not a hook log key. */
export function eventOfLogKey(logKey: string): string | null {
  const prefix = "TriggerHook.";
  return logKey.startsWith(prefix) && logKey.length > prefix.length ? logKey.slice(prefix.length) : null;
}

export const successRate = (totals: Pick<RequestTotals, "requestCount" | "successCount">) =>
  totals.requestCount === 0 ? null : (totals.successCount / totals.requestCount) * 100;

/** A response missing, or an error status: what the table paints red. */
export const isErrorStatus = (status: number | null) => status === null || status >= 400;
