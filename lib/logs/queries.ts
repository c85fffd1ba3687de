// The request log's SQL, built in one place so the services and scripts/explain-logs.ts run the
// very same statements. Every query is shaped for an index (see the migration
// 20261128052000_delivery_log_indexes): the log page walks ("hookId", "createdAt" DESC, "id" DESC)
// from the cursor, and the stats read only index columns (index-only scans).
import { Prisma } from "@/lib/db/client";
import type { DeliveryResult } from "./schemas";

/** A delivery is a request once it has been attempted: queued rows that never went out are not. */
export const REQUESTED = Prisma.sql`"attempts" > 0`;

export type LogFilter = {
  hookId: string;
  since?: Date;
  until?: Date;
  event?: string;
  result?: DeliveryResult;
  /** Only attempted deliveries (Logto's log has no queued entries). */
  requestedOnly?: boolean;
};

function whereOf(filter: LogFilter) {
  const conditions = [Prisma.sql`"hookId" = ${filter.hookId}`];
  if (filter.since) conditions.push(Prisma.sql`"createdAt" >= ${filter.since}`);
  if (filter.until) conditions.push(Prisma.sql`"createdAt" <= ${filter.until}`);
  // The covering indexes are partial on this (see the migration); any bound on createdAt implies it.
  if (!filter.since && !filter.until) conditions.push(Prisma.sql`"createdAt" IS NOT NULL`);
  if (filter.event) conditions.push(Prisma.sql`"event" = ${filter.event}`);
  if (filter.result === "success") conditions.push(Prisma.sql`"status" = 'succeeded'`);
  if (filter.result === "failed") conditions.push(Prisma.sql`"status" = 'failed'`);
  if (filter.requestedOnly) conditions.push(REQUESTED);
  return conditions;
}

// Qualified: the page keys joined to these rows have "id" and "createdAt" too.
const SUMMARY_COLUMNS = Prisma.sql`d."id"::text AS "id", d."hookId", d."event", d."status"::text AS "status", d."attempts",
  d."responseStatus", d."durationMs", d."error", d."createdAt", d."completedAt", d."resendOfId"::text AS "resendOfId"`;

export type SummaryRow = {
  id: string;
  hookId: string;
  event: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
  resendOfId: string | null;
};

export type Cursor = { createdAt: Date; id: string };

/**
 * The (createdAt, id) keys of one page, newest first, read from the covering index alone (the
 * filters test included columns, so no heap row is visited for rows that do not match). The row
 * comparison continues strictly after the cursor, so rows sharing a timestamp are neither
 * skipped nor repeated across pages.
 */
function pageKeysSql(filter: LogFilter, cursor: Cursor | null, limit: number, offset = 0) {
  const conditions = whereOf(filter);
  if (cursor) conditions.push(Prisma.sql`("createdAt", "id") < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
  return Prisma.sql`
    SELECT "createdAt", "id"
      FROM "Delivery"
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY "createdAt" DESC, "id" DESC
     LIMIT ${limit}::int OFFSET ${offset}::int`;
}

/** One page of the table; fetches `limit + 1` rows, the extra one only says whether more exist. */
export function logPageSql(filter: LogFilter, cursor: Cursor | null, limit: number) {
  return Prisma.sql`
    WITH page AS (${pageKeysSql(filter, cursor, limit + 1)})
    SELECT ${SUMMARY_COLUMNS}
      FROM page JOIN "Delivery" d ON d."id" = page."id"
     ORDER BY page."createdAt" DESC, page."id" DESC`;
}

export type LogtoRow = SummaryRow & { requestBody: string; responseBody: string | null };

/** Logto's offset paging for `recent-logs`, with the bodies its log entries carry. */
export function logtoPageSql(filter: LogFilter, limit: number, offset: number) {
  return Prisma.sql`
    WITH page AS (${pageKeysSql(filter, null, limit, offset)})
    SELECT ${SUMMARY_COLUMNS}, d."requestBody", d."responseBody"
      FROM page JOIN "Delivery" d ON d."id" = page."id"
     ORDER BY page."createdAt" DESC, page."id" DESC`;
}

export function logCountSql(filter: LogFilter) {
  return Prisma.sql`SELECT COUNT(*)::int AS "count" FROM "Delivery" WHERE ${Prisma.join(whereOf(filter), " AND ")}`;
}

// ---- stats ------------------------------------------------------------------------------------

export type BucketRow = {
  hookId: string | null;
  /** Start of the row's hour, counted from the window's start; null on per-hook total rows. */
  bin: Date | null;
  succeeded: number;
  failed: number;
  retrying: number;
};

/** Hours aligned on the window's start (not the clock), so 24 buckets cover exactly 24 hours. */
const binOf = (since: Date) => Prisma.sql`date_bin('1 hour', "createdAt", ${since}::timestamptz)`;

const COUNTS = Prisma.sql`
  COUNT(*) FILTER (WHERE "status" = 'succeeded')::int AS "succeeded",
  COUNT(*) FILTER (WHERE "status" = 'failed')::int AS "failed",
  COUNT(*) FILTER (WHERE "status" = 'pending')::int AS "retrying"`;

export type TotalsRow = { hookId: string; requestCount: number; successCount: number };

/** `executionStats`: per hook, requests and successes since `since`. */
export function hookTotalsSql(hookIds: string[], since: Date) {
  return Prisma.sql`
    SELECT "hookId",
           COUNT(*)::int AS "requestCount",
           COUNT(*) FILTER (WHERE "status" = 'succeeded')::int AS "successCount"
      FROM "Delivery"
     WHERE "hookId" = ANY(${hookIds}::varchar[]) AND "createdAt" >= ${since} AND ${REQUESTED}
     GROUP BY "hookId"`;
}

/** Per hook and hour, for the given hooks (one webhook's chart, a list page's sparklines). */
export function hookBucketsSql(hookIds: string[], since: Date) {
  return Prisma.sql`
    SELECT "hookId", ${binOf(since)} AS "bin", ${COUNTS}
      FROM "Delivery"
     WHERE "hookId" = ANY(${hookIds}::varchar[]) AND "createdAt" >= ${since} AND ${REQUESTED}
     GROUP BY 1, 2`;
}

/**
 * The overview in one pass over the window: the grouping sets yield one row per hour across all
 * hooks (hookId null) and one row per hook across all hours (bucket null).
 */
export function overviewBucketsSql(since: Date) {
  return Prisma.sql`
    SELECT "hookId", ${binOf(since)} AS "bin", ${COUNTS}
      FROM "Delivery"
     WHERE "createdAt" >= ${since} AND ${REQUESTED}
     GROUP BY GROUPING SETS ((2), ("hookId"))`;
}
