// The request log's SQL, built in one place so the services and scripts/explain-deliveries.ts run the
// very same statements. Every query is shaped for an index (see the migration
// 20261128052000_delivery_log_indexes): the log page walks ("hookId", "createdAt" DESC, "id" DESC)
// from the cursor, and the stats read only index columns (index-only scans) plus the per-minute
// rollups of settled minutes (migration 20261128130000_delivery_minute_stats, lib/deliveries/rollup.ts).
import { z } from "zod";
import { Prisma } from "@/lib/db/client";
import { deliverySummarySchema, type DeliveryResult } from "./schemas";

/** A delivery is a request once it has been attempted: queued rows that never went out are not. */
export const REQUESTED = Prisma.sql`"attempts" > 0`;
export const FINISHED = Prisma.sql`"status" <> 'pending'`;

export type DeliveryFilter = {
  hookId: string;
  since?: Date;
  until?: Date;
  event?: string;
  result?: DeliveryResult;
  /**
   * Only finished deliveries (Logto's log): Logto writes a log entry once a request has its
   * outcome, so neither queued nor in-flight/retrying ones are listed there. The console's own
   * views show those as they are.
   */
  finishedOnly?: boolean;
};

function whereOf(filter: DeliveryFilter) {
  const conditions = [Prisma.sql`"hookId" = ${filter.hookId}`];
  if (filter.since) conditions.push(Prisma.sql`"createdAt" >= ${filter.since}`);
  if (filter.until) conditions.push(Prisma.sql`"createdAt" <= ${filter.until}`);
  // The covering indexes are partial on this (see the migration); any bound on createdAt implies it.
  if (!filter.since && !filter.until) conditions.push(Prisma.sql`"createdAt" IS NOT NULL`);
  if (filter.event) conditions.push(Prisma.sql`"event" = ${filter.event}`);
  if (filter.result === "success") conditions.push(Prisma.sql`"status" = 'succeeded'`);
  if (filter.result === "failed") conditions.push(Prisma.sql`"status" = 'failed'`);
  if (filter.finishedOnly) conditions.push(REQUESTED, FINISHED);
  return conditions;
}

// Qualified: the page keys joined to these rows have "id" and "createdAt" too.
const SUMMARY_COLUMNS = Prisma.sql`d."id"::text AS "id", d."hookId", d."event", d."status"::text AS "status", d."attempts",
  d."responseStatus", d."durationMs", d."error", d."createdAt", d."completedAt", d."resendOfId"::text AS "resendOfId"`;

// The rows of these statements (checked in the tests, lib/db/rows.ts).
// A summary as stored: the output's fields, with times as Dates (the output has epoch ms).
export const summaryRowSchema = deliverySummarySchema.extend({ createdAt: z.date(), completedAt: z.date().nullable() });
export type SummaryRow = z.infer<typeof summaryRowSchema>;

export type Cursor = { createdAt: Date; id: string };

/**
 * The (createdAt, id) keys of one page, newest first, read from the covering index alone (the
 * filters test included columns, so no heap row is visited for rows that do not match). The row
 * comparison continues strictly after the cursor, so rows sharing a timestamp are neither
 * skipped nor repeated across pages.
 */
function pageKeysSql(filter: DeliveryFilter, cursor: Cursor | null, limit: number, offset = 0) {
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
export function deliveryPageSql(filter: DeliveryFilter, cursor: Cursor | null, limit: number, offset = 0) {
  return Prisma.sql`
    WITH page AS (${pageKeysSql(filter, cursor, limit + 1, offset)})
    SELECT ${SUMMARY_COLUMNS}
      FROM page JOIN "Delivery" d ON d."id" = page."id"
     ORDER BY page."createdAt" DESC, page."id" DESC`;
}

export const logtoRowSchema = summaryRowSchema.extend({ requestBody: z.string(), responseBody: z.string().nullable() });
export type LogtoRow = z.infer<typeof logtoRowSchema>;

/** Logto's offset paging for `recent-logs`, with the bodies its log entries carry. */
export function logtoPageSql(filter: DeliveryFilter, limit: number, offset: number) {
  return Prisma.sql`
    WITH page AS (${pageKeysSql(filter, null, limit, offset)})
    SELECT ${SUMMARY_COLUMNS}, d."requestBody", d."responseBody"
      FROM page JOIN "Delivery" d ON d."id" = page."id"
     ORDER BY page."createdAt" DESC, page."id" DESC`;
}

export const countRowSchema = z.object({ count: z.number().int() });

export function deliveryCountSql(filter: DeliveryFilter) {
  return Prisma.sql`SELECT COUNT(*)::int AS "count" FROM "Delivery" WHERE ${Prisma.join(whereOf(filter), " AND ")}`;
}

// ---- stats ------------------------------------------------------------------------------------

export const bucketRowSchema = z.object({
  hookId: z.string().nullable(),
  /** Start of the row's hour, counted from the window's start; null on per-hook total rows. */
  bin: z.date().nullable(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  retrying: z.number().int(),
});
export type BucketRow = z.infer<typeof bucketRowSchema>;

const COUNTS = Prisma.sql`
  COUNT(*) FILTER (WHERE "status" = 'succeeded')::int AS "succeeded",
  COUNT(*) FILTER (WHERE "status" = 'failed')::int AS "failed",
  COUNT(*) FILTER (WHERE "status" = 'pending')::int AS "retrying"`;

export const totalsRowSchema = z.object({ hookId: z.string(), requestCount: z.number().int(), successCount: z.number().int() });
export type TotalsRow = z.infer<typeof totalsRowSchema>;

/**
 * Where the stats come from: "rollups" (the default) reads settled minutes from
 * "DeliveryMinuteStat" and raw rows for the rest; "raw" counts every delivery row of the window,
 * the reference the rollups must equal exactly (and what the stats were before rollups).
 */
export type StatsSource = "rollups" | "raw";

// The 24 h aggregates read ~5 % of a 14-day log (70,000 rows at 1M). Each is built from index
// range scans that each return one aggregate row, per hook and per hour, so nothing is sorted or
// hashed per row: grouping the rows by an hour computed from "createdAt" made PostgreSQL expect one
// group per row and sort them (spilling to disk at 1M rows), a filter on `"hookId" = ANY(...)`
// cost a comparison per id per row, and parallel workers cost more to start than they saved
// (scripts/explain-deliveries.ts, scripts/bench.ts section e: 70-90 ms before, under 50 after).
// With every row of 1M inside the window the raw scans took 0.4-0.8 s, hence the rollups: each
// range [from, to) is split into the settled whole minutes in it, read from "DeliveryMinuteStat"
// (at most 60 rows per hook and hour), and raw index range scans over the two slivers left
// around them (a partial minute at each edge, and everything from the rollup watermark on).

/**
 * The window's hours, aligned on its start (not the clock), so 24 buckets cover exactly 24 hours.
 * The last one is open-ended: rows stamped a little after `now` (clock skew) count in it.
 */
const hoursOf = (since: Date) => Prisma.sql`
  (SELECT ${since}::timestamptz + n * interval '1 hour' AS "bin",
          CASE WHEN n = 23 THEN 'infinity'::timestamptz ELSE ${since}::timestamptz + (n + 1) * interval '1 hour' END AS "end"
     FROM generate_series(0, 23) AS n) AS hours`;

/** Minutes are counted from the Unix epoch: date_bin on timestamptz ignores the session time zone. */
const floorMinute = (at: Prisma.Sql) => Prisma.sql`date_bin('1 minute', ${at}, TIMESTAMPTZ 'epoch')`;
const ceilMinute = (at: Prisma.Sql) =>
  Prisma.sql`(date_bin('1 minute', ${at} - interval '1 microsecond', TIMESTAMPTZ 'epoch') + interval '1 minute')`;

/**
 * `ranges` with the part of each [bin, end) read from rollups: the whole minutes in it that are
 * also in the rolled-up range. "rollFrom" = "rollUntil" = "end" when there is none, so the raw
 * slivers [bin, rollFrom) and [rollUntil, end) are then the whole range and the rollup part empty.
 * No "DeliveryRollup" row (nothing rolled up yet) reads as an empty rolled-up range (from = until = infinity;
 * GREATEST and LEAST would skip NULLs).
 */
const withRollupSplit = (ranges: Prisma.Sql, alias: string) => Prisma.sql`
  (SELECT r.*,
          CASE WHEN s."lo" < s."hi" THEN s."lo" ELSE r."end" END AS "rollFrom",
          CASE WHEN s."lo" < s."hi" THEN s."hi" ELSE r."end" END AS "rollUntil"
     FROM ${ranges}
    CROSS JOIN (SELECT COALESCE(max("rolledFrom"), 'infinity') AS "from", COALESCE(max("rolledUntil"), 'infinity') AS "until"
                  FROM "DeliveryRollup") w
    CROSS JOIN LATERAL (
      SELECT GREATEST(${ceilMinute(Prisma.sql`r."bin"`)}, w."from") AS "lo",
             CASE WHEN r."end" = 'infinity' THEN w."until" ELSE LEAST(${floorMinute(Prisma.sql`r."end"`)}, w."until") END AS "hi") s
  ) AS ${Prisma.raw(alias)}`;

const splitHoursOf = (since: Date) => withRollupSplit(Prisma.sql`(SELECT * FROM ${hoursOf(since)}) r`, "hours");

const hookIdsOf = (hookIds: string[]) => Prisma.sql`unnest(${hookIds}::varchar[]) AS hooks("hookId")`;

/**
 * One hook's counts in [range."bin", range."end"): rollups for the settled minutes, raw rows for the
 * rest. The rollups are read through "DeliveryMinuteStat_hook_counts_idx" (hookId, minute) INCLUDE
 * the counts: index-only, where the primary key visited a heap page per row (a hook's rows sit on
 * every page). With plain indexes the planner preferred the "minute" index for these conditions and
 * filtered out the other hooks' rows (54 ms instead of 18 for 20 sparklines), hence a row comparison
 * then; with both indexes covering, the per-hook one wins (EXPLAIN at 1M rows, 14-day log),
 * and a row comparison next to the "hookId" equality its partial predicate needs made PostgreSQL
 * start each scan at the hook's first row (13 buffers per hour instead of 3).
 */
const hookCountsIn = (range: string) => {
  const r = Prisma.raw(range);
  return Prisma.sql`
    SELECT COALESCE(SUM(p."succeeded"), 0)::int AS "succeeded", COALESCE(SUM(p."failed"), 0)::int AS "failed",
           COALESCE(SUM(p."retrying"), 0)::int AS "retrying"
      FROM (
        SELECT ${COUNTS} FROM "Delivery" d
         WHERE d."hookId" = hooks."hookId" AND d."createdAt" >= ${r}."bin" AND d."createdAt" < ${r}."rollFrom" AND ${REQUESTED}
        UNION ALL
        SELECT ${COUNTS} FROM "Delivery" d
         WHERE d."hookId" = hooks."hookId" AND d."createdAt" >= ${r}."rollUntil" AND d."createdAt" < ${r}."end" AND ${REQUESTED}
        UNION ALL
        SELECT SUM(m."succeeded")::int, SUM(m."failed")::int, 0
          FROM "DeliveryMinuteStat" m
         WHERE m."hookId" = hooks."hookId" AND m."minute" >= ${r}."rollFrom" AND m."minute" < ${r}."rollUntil"
      ) p`;
};

/** `executionStats` (Logto's): per hook, finished requests and successes since `since`; retrying ones are not counted yet. */
export function hookTotalsSql(hookIds: string[], since: Date, source: StatsSource = "rollups") {
  if (source === "raw") return hookTotalsRawSql(hookIds, since);
  const window = withRollupSplit(Prisma.sql`(SELECT ${since}::timestamptz AS "bin", 'infinity'::timestamptz AS "end") r`, "win");
  return Prisma.sql`
    SELECT hooks."hookId", (c."succeeded" + c."failed")::int AS "requestCount", c."succeeded" AS "successCount"
      FROM ${hookIdsOf(hookIds)}
     CROSS JOIN ${window}
     CROSS JOIN LATERAL (${hookCountsIn("win")}) c
     WHERE c."succeeded" + c."failed" > 0`;
}

function hookTotalsRawSql(hookIds: string[], since: Date) {
  return Prisma.sql`
    SELECT hooks."hookId", t."requestCount", t."successCount"
      FROM ${hookIdsOf(hookIds)}
     CROSS JOIN LATERAL (
       SELECT COUNT(*)::int AS "requestCount", COUNT(*) FILTER (WHERE "status" = 'succeeded')::int AS "successCount"
         FROM "Delivery" d
        WHERE d."hookId" = hooks."hookId" AND d."createdAt" >= ${since} AND ${REQUESTED} AND ${FINISHED}) t
     WHERE t."requestCount" > 0`;
}

/** Per hook and hour, for the given hooks (one webhook's chart, a list page's sparklines). */
export function hookBucketsSql(hookIds: string[], since: Date, source: StatsSource = "rollups") {
  if (source === "raw") return hookBucketsRawSql(hookIds, since);
  // The 24 hours and their splits computed once: inlined, their expressions (date_bin, the
  // watermark's GREATEST/LEAST) were evaluated again in every index condition of every hook's hour.
  return Prisma.sql`
    WITH hours AS MATERIALIZED (SELECT * FROM ${splitHoursOf(since)})
    SELECT hooks."hookId", hours."bin", c."succeeded", c."failed", c."retrying"
      FROM ${hookIdsOf(hookIds)}
     CROSS JOIN hours
     CROSS JOIN LATERAL (${hookCountsIn("hours")}) c
     WHERE c."succeeded" + c."failed" + c."retrying" > 0`;
}

function hookBucketsRawSql(hookIds: string[], since: Date) {
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
export function overviewBucketsSql(since: Date, source: StatsSource = "rollups") {
  const cells =
    source === "raw"
      ? Prisma.sql`
      SELECT hours."bin", c."hookId", c."succeeded", c."failed", c."retrying"
        FROM ${hoursOf(since)}
       CROSS JOIN LATERAL (
         SELECT "hookId", ${COUNTS}
           FROM "Delivery" d
          WHERE d."createdAt" >= hours."bin" AND d."createdAt" < hours."end" AND ${REQUESTED}
          GROUP BY "hookId") c`
      : Prisma.sql`
      SELECT hours."bin", c."hookId", c."succeeded", c."failed", c."retrying"
        FROM ${splitHoursOf(since)}
       CROSS JOIN LATERAL (
         SELECT "hookId", ${COUNTS}
           FROM "Delivery" d
          WHERE d."createdAt" >= hours."bin" AND d."createdAt" < hours."rollFrom" AND ${REQUESTED}
          GROUP BY "hookId"
         UNION ALL
         SELECT "hookId", ${COUNTS}
           FROM "Delivery" d
          WHERE d."createdAt" >= hours."rollUntil" AND d."createdAt" < hours."end" AND ${REQUESTED}
          GROUP BY "hookId"
         UNION ALL
         SELECT "hookId", SUM("succeeded")::int, SUM("failed")::int, 0
           FROM "DeliveryMinuteStat" m
          WHERE m."minute" >= hours."rollFrom" AND m."minute" < hours."rollUntil"
          GROUP BY "hookId") c`;
  return Prisma.sql`
    WITH cells AS (${cells})
    SELECT "hookId", "bin", SUM("succeeded")::int AS "succeeded", SUM("failed")::int AS "failed", SUM("retrying")::int AS "retrying"
      FROM cells
     GROUP BY GROUPING SETS (("bin"), ("hookId"))`;
}

// ---- rollups ----------------------------------------------------------------------------------

export type RollupBounds = {
  /** Newest minute start the watermark may reach: minutes before it are old enough to settle. */
  settledUntil: Date;
  /** Where the rolled-up range starts on a first run, or after the watermark fell this far behind. */
  startFrom: Date;
  /** Rollups older than this are dropped (the 24 h window never reads them). */
  keepFrom: Date;
};

export const rollupRowSchema = z.object({
  rolledFrom: z.date(),
  rolledUntil: z.date(),
  previousUntil: z.date().nullable(),
  minuteRows: z.number().int(),
});
export type RollupRow = z.infer<typeof rollupRowSchema>;

/**
 * Advances the watermark W ("rolledUntil") as far as `settledUntil` but never past the minute of
 * the oldest pending row from W on (its status and attempts may still change), and rolls up the
 * minutes it passes: per minute, one index range scan on "Delivery_window_idx" grouped by hook (a
 * small grouping, as in the overview). One statement, so the pending check and the counts read the
 * same snapshot; the caller holds the rollup lock, so the watermark read here is the latest.
 * Overwrites on conflict: a rollup row outside the recorded range is stale, never to be added to.
 */
export function rollupAdvanceSql(bounds: RollupBounds) {
  const settled = Prisma.sql`${bounds.settledUntil}::timestamptz`;
  const startFrom = Prisma.sql`${bounds.startFrom}::timestamptz`;
  return Prisma.sql`
    WITH state AS (
      SELECT max("rolledFrom") AS "from", max("rolledUntil") AS "until" FROM "DeliveryRollup"
    ),
    start AS (
      SELECT s."until" AS "previous",
             CASE WHEN s."until" IS NULL OR s."until" < ${startFrom} THEN ${startFrom} ELSE s."until" END AS "w",
             CASE WHEN s."until" IS NULL OR s."until" < ${startFrom} THEN ${startFrom}
                  ELSE GREATEST(s."from", ${bounds.keepFrom}::timestamptz) END AS "from"
        FROM state s
    ),
    blocker AS (
      SELECT min(d."createdAt") AS "at"
        FROM "Delivery" d, start
       WHERE d."createdAt" >= start."w" AND d."createdAt" < ${settled} AND d."status" = 'pending'
    ),
    next AS (
      SELECT start."previous", start."w", start."from",
             GREATEST(start."w", LEAST(${settled}, COALESCE(${floorMinute(Prisma.sql`b."at"`)}, ${settled}))) AS "until"
        FROM start, blocker b
    ),
    counted AS (
      INSERT INTO "DeliveryMinuteStat" ("hookId", "minute", "succeeded", "failed")
      SELECT c."hookId", m."minute", c."succeeded", c."failed"
        FROM next, generate_series(next."w", next."until" - interval '1 minute', interval '1 minute') AS m("minute")
       CROSS JOIN LATERAL (
         SELECT d."hookId",
                COUNT(*) FILTER (WHERE d."status" = 'succeeded')::int AS "succeeded",
                COUNT(*) FILTER (WHERE d."status" = 'failed')::int AS "failed"
           FROM "Delivery" d
          WHERE d."createdAt" >= m."minute" AND d."createdAt" < m."minute" + interval '1 minute' AND ${REQUESTED}
          GROUP BY d."hookId") c
       WHERE c."succeeded" + c."failed" > 0
      ON CONFLICT ("hookId", "minute") DO UPDATE SET "succeeded" = EXCLUDED."succeeded", "failed" = EXCLUDED."failed"
      RETURNING 1
    ),
    saved AS (
      INSERT INTO "DeliveryRollup" ("id", "rolledFrom", "rolledUntil")
      SELECT 1, next."from", next."until" FROM next
      ON CONFLICT ("id") DO UPDATE SET "rolledFrom" = EXCLUDED."rolledFrom", "rolledUntil" = EXCLUDED."rolledUntil"
      RETURNING "rolledFrom", "rolledUntil"
    )
    SELECT saved."rolledFrom", saved."rolledUntil", next."previous" AS "previousUntil",
           (SELECT COUNT(*) FROM counted)::int AS "minuteRows"
      FROM saved, next`;
}

/** Drops rollup rows outside the recorded range: older than its start, or left over from a reset. */
export function rollupPruneSql() {
  return Prisma.sql`
    DELETE FROM "DeliveryMinuteStat" m
     USING "DeliveryRollup" r
     WHERE m."minute" < r."rolledFrom" OR m."minute" >= r."rolledUntil"`;
}
