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

const COUNTS = Prisma.sql`
  COUNT(*) FILTER (WHERE "status" = 'succeeded')::int AS "succeeded",
  COUNT(*) FILTER (WHERE "status" = 'failed')::int AS "failed",
  COUNT(*) FILTER (WHERE "status" = 'pending')::int AS "retrying"`;

export type TotalsRow = { hookId: string; requestCount: number; successCount: number };

// The 24 h aggregates read ~5 % of a 14-day log (70,000 rows at 1M). Each is built from index
// range scans that each return one aggregate row, per hook and per hour, so nothing is sorted or
// hashed per row: grouping the rows by an hour computed from "createdAt" made PostgreSQL expect one
// group per row and sort them (spilling to disk at 1M rows), a filter on `"hookId" = ANY(...)`
// cost a comparison per id per row, and parallel workers cost more to start than they saved
// (scripts/explain-logs.ts, scripts/bench.ts section e: 70-90 ms before, under 50 after).

/**
 * The window's hours, aligned on its start (not the clock), so 24 buckets cover exactly 24 hours.
 * The last one is open-ended: rows stamped a little after `now` (clock skew) count in it.
 */
const hoursOf = (since: Date) => Prisma.sql`
  (SELECT ${since}::timestamptz + n * interval '1 hour' AS "bin",
          CASE WHEN n = 23 THEN 'infinity'::timestamptz ELSE ${since}::timestamptz + (n + 1) * interval '1 hour' END AS "end"
     FROM generate_series(0, 23) AS n) AS hours`;

const hookIdsOf = (hookIds: string[]) => Prisma.sql`unnest(${hookIds}::varchar[]) AS hooks("hookId")`;

/** `executionStats`: per hook, requests and successes since `since`. */
export function hookTotalsSql(hookIds: string[], since: Date) {
  return Prisma.sql`
    SELECT hooks."hookId", t."requestCount", t."successCount"
      FROM ${hookIdsOf(hookIds)}
     CROSS JOIN LATERAL (
       SELECT COUNT(*)::int AS "requestCount", COUNT(*) FILTER (WHERE "status" = 'succeeded')::int AS "successCount"
         FROM "Delivery" d
        WHERE d."hookId" = hooks."hookId" AND d."createdAt" >= ${since} AND ${REQUESTED}) t
     WHERE t."requestCount" > 0`;
}

/** Per hook and hour, for the given hooks (one webhook's chart, a list page's sparklines). */
export function hookBucketsSql(hookIds: string[], since: Date) {
  return Prisma.sql`
    SELECT hooks."hookId", hours."bin", c."succeeded", c."failed", c."retrying"
      FROM ${hookIdsOf(hookIds)}
     CROSS JOIN ${hoursOf(since)}
     CROSS JOIN LATERAL (
       SELECT ${COUNTS}
         FROM "Delivery" d
        WHERE d."hookId" = hooks."hookId" AND d."createdAt" >= hours."bin" AND d."createdAt" < hours."end" AND ${REQUESTED}) c
     WHERE c."succeeded" + c."failed" + c."retrying" > 0`;
}

/**
 * The overview in one pass over the window: per hour, one small grouping by hook; then the grouping
 * sets over those cells yield one row per hour across all hooks (hookId null) and one row per hook
 * across all hours (bin null).
 */
export function overviewBucketsSql(since: Date) {
  return Prisma.sql`
    WITH cells AS (
      SELECT hours."bin", c."hookId", c."succeeded", c."failed", c."retrying"
        FROM ${hoursOf(since)}
       CROSS JOIN LATERAL (
         SELECT "hookId", ${COUNTS}
           FROM "Delivery" d
          WHERE d."createdAt" >= hours."bin" AND d."createdAt" < hours."end" AND ${REQUESTED}
          GROUP BY "hookId") c
    )
    SELECT "hookId", "bin", SUM("succeeded")::int AS "succeeded", SUM("failed")::int AS "failed", SUM("retrying")::int AS "retrying"
      FROM cells
     GROUP BY GROUPING SETS (("bin"), ("hookId"))`;
}
