// The request log ("Recent requests") and its stats: query schemas and the output contracts (zod
// schemas of what leaves the server; the mappers satisfy them, the console and the tests parse
// with them). Browser-safe (zod only): the console imports the schemas, types and helpers below.
import { z } from "zod";
import { hookEventSchema } from "@/lib/hooks/schemas";

import { MAX_PAGE_SIZE } from "./constants";

export { BUCKET_COUNT, DELIVERIES_PAGE_SIZE, HOUR_MS, DELIVERY_WINDOW_MS, MAX_PAGE_SIZE, isErrorStatus, successRate } from "./constants";

export const DELIVERY_RESULTS = ["success", "failed"] as const;
export type DeliveryResult = (typeof DELIVERY_RESULTS)[number];

const pageSizeSchema = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number.` })
    .int(`${name} must be a whole number.`)
    .min(1, `${name} must be between 1 and ${MAX_PAGE_SIZE}.`)
    .max(MAX_PAGE_SIZE, `${name} must be between 1 and ${MAX_PAGE_SIZE}.`);

/**
 * `GET /api/hooks/:id/deliveries`: the console's table, newest first, keyset-paged by `cursor`,
 * or numbered by `page` (1-based; the answer then carries `total` so the console can show page
 * numbers as Logto does). A cursor wins over a page.
 */
export const listDeliveriesQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  page: z.coerce
    .number({ error: "page must be a number." })
    .int("page must be a whole number.")
    .min(1, "page starts at 1.")
    .max(100_000, "page must be at most 100000.")
    .optional(),
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
    .transform((value) => [
      ...new Set(
        value
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.string().max(64)).max(MAX_PAGE_SIZE, `Ask for at most ${MAX_PAGE_SIZE} webhooks at once.`)),
});

// ---- output -----------------------------------------------------------------------------------

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** One attempt in a delivery's log (`Delivery.attemptLog`, written by the worker). */
export const attemptEntrySchema = z.object({
  at: z.string(),
  status: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});
export type AttemptEntry = z.infer<typeof attemptEntrySchema>;
/** An entry as the worker stores it: `probe` marks one sent through an open circuit (not charged to the retry budget). */
export type StoredAttemptEntry = AttemptEntry & { probe?: boolean };

/** A delivery id (a UUID): anything else names no delivery. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One row of the Recent requests table. Times are epoch milliseconds; `responseStatus` and
 * `durationMs` are the last attempt's (null when no response came back); `resendOfId` is set on a
 * manual resend: the delivery it repeats.
 */
export const deliverySummarySchema = z.object({
  id: z.string(),
  hookId: z.string(),
  event: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  completedAt: z.number().nullable(),
  resendOfId: z.string().nullable(),
});
export type DeliverySummary = z.infer<typeof deliverySummarySchema>;

/** A page of the table; `nextCursor` is null on the last page; `total` (every matching request) when asked by `page`. */
export const deliveryPageSchema = z.object({
  items: z.array(deliverySummarySchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().optional(),
});
export type DeliveryPage = z.infer<typeof deliveryPageSchema>;

/**
 * A delivery's details: `nextAttemptAt` when a pending one is due again, the request as sent
 * (credentials redacted; the exact body bytes of every attempt), the first bytes of the last
 * response, and every attempt.
 */
export const deliveryDetailsSchema = deliverySummarySchema.extend({
  eventId: z.string().nullable(),
  nextAttemptAt: z.number().nullable(),
  requestUrl: z.string().nullable(),
  requestHeaders: z.record(z.string(), z.string()).nullable(),
  requestBody: z.string(),
  responseHeaders: z.record(z.string(), z.string()).nullable(),
  responseBody: z.string().nullable(),
  attemptLog: z.array(attemptEntrySchema),
});
export type DeliveryDetails = z.infer<typeof deliveryDetailsSchema>;

/** Logto's hook log entry, plus our extras inside `payload` (Logto has no retries, attempt counts or latency in its log). */
export const logtoHookLogSchema = z.object({
  id: z.string(),
  key: z.string(),
  payload: z.object({
    key: z.string(),
    result: z.enum(["Success", "Error"]),
    hookId: z.string(),
    hookRequest: z.object({ body: z.unknown() }),
    response: z.object({ statusCode: z.number().int(), body: z.unknown() }).optional(),
    error: z.string().optional(),
    status: deliveryStatusSchema,
    attempts: z.number().int(),
    durationMs: z.number().nullable(),
    resendOfId: z.string().nullable(),
  }),
  createdAt: z.number(),
});
export type LogtoHookLog = z.infer<typeof logtoHookLogSchema>;

/**
 * One hour of requests: a delivery is one request whatever its retries, once it has been
 * attempted; `retrying` ones failed an attempt and wait for the next (Logto's `executionStats`
 * counts only `succeeded` + `failed`).
 */
export const hourBucketSchema = z.object({
  start: z.number(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  retrying: z.number().int(),
});
export type HourBucket = z.infer<typeof hourBucketSchema>;

export const requestTotalsSchema = z.object({
  requestCount: z.number().int(),
  successCount: z.number().int(),
  failedCount: z.number().int(),
  retryingCount: z.number().int(),
});
export type RequestTotals = z.infer<typeof requestTotalsSchema>;

/** The last 24 hours in hourly buckets, oldest first, ending now. */
export const hourlyStatsSchema = z.object({
  from: z.number(),
  to: z.number(),
  buckets: z.array(hourBucketSchema),
  totals: requestTotalsSchema,
});
export type HourlyStats = z.infer<typeof hourlyStatsSchema>;

export const hookFailureStatsSchema = requestTotalsSchema.extend({ hookId: z.string(), name: z.string(), enabled: z.boolean() });
export type HookFailureStats = z.infer<typeof hookFailureStatsSchema>;

/** `topFailing`: hooks with failures in the window, most failures first. */
export const overviewStatsSchema = hourlyStatsSchema.extend({
  hookCount: z.number().int(),
  enabledHookCount: z.number().int(),
  topFailing: z.array(hookFailureStatsSchema),
});
export type OverviewStats = z.infer<typeof overviewStatsSchema>;

/**
 * Per hook and hour, oldest first: every request, those that failed for good, and those still in
 * flight (being sent or waiting for a retry); plus the window's totals, so the list's rate,
 * count and sparkline come from one answer and agree.
 */
export const sparklineSchema = z.object({
  requests: z.array(z.number().int()),
  failures: z.array(z.number().int()),
  retrying: z.array(z.number().int()),
  totals: requestTotalsSchema,
});
export type Sparkline = z.infer<typeof sparklineSchema>;
export const sparklineMapSchema = z.record(z.string(), sparklineSchema);
export type SparklineMap = z.infer<typeof sparklineMapSchema>;

// ---- helpers shared by the server and the console -----------------------------------------------

export const logKeyOf = (event: string) => `TriggerHook.${event}`;

/** The event named by a Logto `logKey`, or null when the key is not a hook log key. */
export function eventOfLogKey(logKey: string): string | null {
  const prefix = "TriggerHook.";
  return logKey.startsWith(prefix) && logKey.length > prefix.length ? logKey.slice(prefix.length) : null;
}

// ---- bulk recovery ----------------------------------------------------------------------------

const instantSchema = z.union([
  z.number({ error: "Use epoch milliseconds or an ISO date." }).int().min(0).max(MAX_EPOCH_MS),
  z.iso.datetime({ offset: true, error: "Use epoch milliseconds or an ISO date." }).transform((value) => Date.parse(value)),
]);

/** POST /api/hooks/:id/recover `{since?, until?}`: failed requests created in [since, until); default the last 24 h. */
export const recoverSchema = z
  .object({ since: instantSchema.optional(), until: instantSchema.optional() })
  .refine((range) => range.since === undefined || range.until === undefined || range.since < range.until, {
    path: ["until"],
    message: "until must be after since.",
  });
export type RecoverInput = z.input<typeof recoverSchema>;
export type RecoverRange = z.output<typeof recoverSchema>;
/** What a recovery queued (0 for the GET preview), how many were eligible, and the range in epoch ms. */
export const recoverResultSchema = z.object({ queued: z.number().int(), eligible: z.number().int(), since: z.number(), until: z.number() });
export type RecoverResult = z.infer<typeof recoverResultSchema>;
