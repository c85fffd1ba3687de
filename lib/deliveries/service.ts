// The request log: every delivery row is one log entry. Typed inputs in (queries parsed at the
// edge by ./schemas.ts), plain shapes out; route handlers only map HTTP onto these.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ServiceContext } from "@/lib/context";
import { redactHeaders, redactSecretsIn, redactUrl, redactUrlsIn } from "@/lib/delivery/redaction";
import { wakeWorkers } from "@/lib/delivery/queue";
import { invalidInput, notFound, ServiceError } from "@/lib/errors";
import { rowsOf } from "@/lib/db/rows";
import {
  countRowSchema,
  hookTotalsSql,
  deliveryCountSql,
  deliveryPageSql,
  logtoPageSql,
  logtoRowSchema,
  summaryRowSchema,
  totalsRowSchema,
  type Cursor,
  type DeliveryFilter,
  type LogtoRow,
  type StatsSource,
  type SummaryRow,
} from "./queries";
import {
  DELIVERIES_PAGE_SIZE,
  eventOfLogKey,
  DELIVERY_WINDOW_MS,
  logKeyOf,
  MAX_EPOCH_MS,
  type AttemptEntry,
  type DeliveryDetails,
  type DeliveryPage,
  type DeliverySummary,
  type ListDeliveriesQuery,
  type LogtoHookLog,
  type RecentLogsQuery,
  UUID_PATTERN,
} from "./schemas";

// ---- cursors ----------------------------------------------------------------------------------

/** Opaque to clients: base64url of "<createdAt ms>.<id>". createdAt has millisecond precision. */
export function encodeCursor({ createdAt, id }: Cursor) {
  return Buffer.from(`${createdAt.getTime()}.${id}`).toString("base64url");
}

export function decodeCursor(raw: string): Cursor {
  const [ms, id] = Buffer.from(raw, "base64url").toString("utf8").split(".");
  const time = Number(ms);
  if (!Number.isSafeInteger(time) || time < 0 || time > MAX_EPOCH_MS || !id || !UUID_PATTERN.test(id)) {
    throw invalidInput([{ path: "cursor", message: "Unknown cursor; start again from the first page." }]);
  }
  return { createdAt: new Date(time), id };
}

// ---- shapes -----------------------------------------------------------------------------------

/** An error may quote a redirect's Location; rows recorded before URLs were redacted hold it as is. */
const safeError = (error: string | null) => (error === null ? null : redactUrlsIn(error));

function toSummary(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    hookId: row.hookId,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    durationMs: row.durationMs,
    error: safeError(row.error),
    createdAt: row.createdAt.getTime(),
    completedAt: row.completedAt?.getTime() ?? null,
    resendOfId: row.resendOfId,
  };
}

const headersColumn = z.record(z.string(), z.string()).nullable().catch(null);
const attemptLogColumn = z
  .array(
    z.object({
      at: z.string(),
      status: z.number().nullable().catch(null),
      durationMs: z.number().nullable().catch(null),
      error: z.string().nullable().catch(null),
    }),
  )
  .catch([]);

/** Stored headers and URLs are redacted when recorded; redacting again covers rows written under older rules. */
function safeHeaders(stored: unknown) {
  const headers = headersColumn.parse(stored ?? null);
  return headers ? redactHeaders(headers) : null;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// ---- hook scope -------------------------------------------------------------------------------

async function assertHookExists(ctx: ServiceContext, hookId: string) {
  const hook = await ctx.db.hook.findUnique({ where: { id: hookId }, select: { id: true } });
  if (!hook) throw notFound("hook", hookId);
}

/**
 * `work` beside the hook's existence check rather than after it: an unknown hook's reads find
 * nothing and the check's 404 wins. One round trip less in a row per request, which is what a
 * request waits on when the cores are shared (bench (e) at load 15-20).
 */
async function inHook<T>(ctx: ServiceContext, hookId: string, work: Promise<T>): Promise<T> {
  const [, result] = await Promise.all([assertHookExists(ctx, hookId), work]);
  return result;
}

/** A delivery of this hook; another hook's delivery id is "not found", never leaked. */
async function findDelivery(ctx: ServiceContext, hookId: string, deliveryId: string) {
  if (!UUID_PATTERN.test(deliveryId)) throw notFound("delivery", deliveryId);
  const row = await ctx.db.delivery.findFirst({ where: { id: deliveryId, hookId } });
  if (!row) throw notFound("delivery", deliveryId);
  return row;
}

// ---- the console's table and details ----------------------------------------------------------

/**
 * The last 24 hours of a hook's requests, newest first (`event`, `result`, `limit`): keyset-paged
 * by `cursor`, or numbered by `page` with the `total` of matching requests (a cursor wins).
 */
export async function listDeliveries(
  ctx: ServiceContext,
  hookId: string,
  query: ListDeliveriesQuery,
  now = ctx.clock.now(),
): Promise<DeliveryPage> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const limit = query.limit ?? DELIVERIES_PAGE_SIZE;
  const numbered = !cursor && query.page !== undefined;
  const filter: DeliveryFilter = { hookId, since: new Date(now.getTime() - DELIVERY_WINDOW_MS), event: query.event, result: query.result };
  const offset = numbered ? ((query.page ?? 1) - 1) * limit : 0;
  const [rows, total] = await inHook(
    ctx,
    hookId,
    Promise.all([
      ctx.db
        .$queryRaw(deliveryPageSql(filter, cursor, limit, offset))
        .then((found) => rowsOf(summaryRowSchema, found, "the delivery page")),
      numbered
        ? ctx.db.$queryRaw(deliveryCountSql(filter)).then((found) => rowsOf(countRowSchema, found, "the delivery count")[0]?.count ?? 0)
        : undefined,
    ]),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    ...(total === undefined ? {} : { total }),
  };
}

export async function getDelivery(ctx: ServiceContext, hookId: string, deliveryId: string): Promise<DeliveryDetails> {
  const row = await findDelivery(ctx, hookId, deliveryId);
  return {
    ...toSummary(row),
    eventId: row.eventId,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.getTime() : null,
    requestUrl: row.requestUrl === null ? null : redactUrl(row.requestUrl),
    requestHeaders: safeHeaders(row.requestHeaders),
    requestBody: row.requestBody,
    responseHeaders: safeHeaders(row.responseHeaders),
    // Rows recorded before response bodies were redacted are redacted on the way out.
    responseBody: row.responseBody === null ? null : redactSecretsIn(row.responseBody),
    attemptLog: attemptLogColumn
      .parse(row.attemptLog)
      .map((entry) => ({ ...entry, error: safeError(entry.error) })) satisfies AttemptEntry[],
  };
}

/**
 * Queues the same payload bytes again as a NEW delivery (its own log entry, `resendOfId` set).
 * The worker signs it when it sends it, with the hook's current key and a fresh timestamp.
 */
export async function resendDelivery(ctx: ServiceContext, hookId: string, deliveryId: string): Promise<DeliveryDetails> {
  const original = await findDelivery(ctx, hookId, deliveryId);
  const hook = await ctx.db.hook.findUniqueOrThrow({ where: { id: hookId }, select: { enabled: true } });
  if (!hook.enabled) throw new ServiceError("hook_disabled", "The webhook is disabled: reactivate it to resend requests.");
  if (original.status === "pending") {
    throw new ServiceError("delivery_in_progress", "This request is still being delivered; resend it once it has finished.");
  }
  const id = randomUUID();
  // Copied in SQL, so the body bytes never pass through (and get re-encoded by) this process;
  // stamped by this process's clock, as ingestion stamps deliveries.
  await ctx.db.$executeRaw`
    INSERT INTO "Delivery" ("id", "hookId", "eventId", "event", "requestBody", "resendOfId", "createdAt")
    SELECT ${id}::uuid, d."hookId", d."eventId", d."event", d."requestBody", d."id", ${ctx.clock.now()}
      FROM "Delivery" d
     WHERE d."id" = ${original.id}::uuid`;
  wakeWorkers();
  return getDelivery(ctx, hookId, id);
}

// ---- Logto's recent-logs ----------------------------------------------------------------------

function toLogtoLog(row: LogtoRow): LogtoHookLog {
  const key = logKeyOf(row.event);
  const succeeded = row.status === "succeeded";
  return {
    id: row.id,
    key,
    payload: {
      key,
      result: succeeded ? "Success" : "Error",
      hookId: row.hookId,
      hookRequest: { body: parseJsonOr(row.requestBody) },
      ...(row.responseStatus !== null
        ? { response: { statusCode: row.responseStatus, body: parseJsonOr(redactSecretsIn(row.responseBody ?? "")) } }
        : {}),
      ...(!succeeded && row.error ? { error: redactUrlsIn(row.error) } : {}),
      status: row.status,
      attempts: row.attempts,
      durationMs: row.durationMs,
      resendOfId: row.resendOfId,
    },
    createdAt: row.createdAt.getTime(),
  };
}

/**
 * The number of entries a `recent-logs` filter matches. Without an event or an end time it is the
 * hook's request count since `since`, which the stats rollups answer without counting every row
 * (half a million for a busy hook's day); other filters count rows.
 */
async function countRecentLogs(ctx: ServiceContext, filter: DeliveryFilter, source: StatsSource) {
  if (filter.since && !filter.until && !filter.event && !filter.result && filter.finishedOnly) {
    const [row] = rowsOf(totalsRowSchema, await ctx.db.$queryRaw(hookTotalsSql([filter.hookId], filter.since, source)), "the hook totals");
    return row?.requestCount ?? 0;
  }
  const [row] = rowsOf(countRowSchema, await ctx.db.$queryRaw(deliveryCountSql(filter)), "the delivery count");
  return row?.count ?? 0;
}

/**
 * Logto's `GET /api/hooks/:id/recent-logs`: offset paging with a total, an optional `logKey`
 * (`TriggerHook.<event>`), and `start_time`/`end_time` in ms. With neither bound given the window
 * is the last 24 hours; with either, the caller's window as given (as Logto does).
 */
export async function recentLogs(
  ctx: ServiceContext,
  hookId: string,
  query: RecentLogsQuery,
  now = ctx.clock.now(),
  source: StatsSource = "rollups",
) {
  const explicit = query.start_time !== undefined || query.end_time !== undefined;
  const event = query.logKey === undefined ? undefined : eventOfLogKey(query.logKey);
  // A key that is not a hook log key matches nothing, as it would in Logto's log table.
  if (event === null) {
    await assertHookExists(ctx, hookId);
    return { items: [] as LogtoHookLog[], total: 0, page: query.page, pageSize: query.page_size };
  }
  const filter: DeliveryFilter = {
    hookId,
    event,
    since: explicit
      ? query.start_time !== undefined
        ? new Date(query.start_time)
        : undefined
      : new Date(now.getTime() - DELIVERY_WINDOW_MS),
    until: query.end_time !== undefined ? new Date(query.end_time) : undefined,
    finishedOnly: true,
  };
  const offset = (query.page - 1) * query.page_size;
  const [count, rows] = await inHook(
    ctx,
    hookId,
    Promise.all([
      countRecentLogs(ctx, filter, source),
      ctx.db
        .$queryRaw(logtoPageSql(filter, query.page_size, offset))
        .then((found) => rowsOf(logtoRowSchema, found, "the recent-logs page")),
    ]),
  );
  return { items: rows.map(toLogtoLog), total: count, page: query.page, pageSize: query.page_size };
}
