// Health over the last 24 hours in hourly buckets: one webhook's chart, the list's sparklines and
// the overview. Each is one grouped query over the window (lib/deliveries/queries.ts); counting rules
// match `executionStats`: one request per attempted delivery, success = finally succeeded.
// `source` "raw" counts the delivery rows alone, the reference the rollups are tested against.
import { at } from "@/lib/assert";
import type { ServiceContext } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { rowsOf } from "@/lib/db/rows";
import { bucketRowSchema, hookBucketsSql, overviewBucketsSql, type BucketRow, type StatsSource } from "./queries";
import {
  BUCKET_COUNT,
  HOUR_MS,
  DELIVERY_WINDOW_MS,
  type HookFailureStats,
  type HourBucket,
  type HourlyStats,
  type OverviewStats,
  type RequestTotals,
  type SparklineMap,
} from "./schemas";

/** How many hooks the overview lists under "Top failing". */
export const TOP_FAILING_LIMIT = 5;

function emptyBuckets(now: Date): HourBucket[] {
  const from = now.getTime() - DELIVERY_WINDOW_MS;
  return Array.from({ length: BUCKET_COUNT }, (_, index) => ({ start: from + index * HOUR_MS, succeeded: 0, failed: 0, retrying: 0 }));
}

function totalsOf(rows: Pick<BucketRow, "succeeded" | "failed" | "retrying">[]): RequestTotals {
  const totals: RequestTotals = { requestCount: 0, successCount: 0, failedCount: 0, retryingCount: 0 };
  for (const row of rows) {
    totals.successCount += row.succeeded;
    totals.failedCount += row.failed;
    totals.retryingCount += row.retrying;
  }
  totals.requestCount = totals.successCount + totals.failedCount + totals.retryingCount;
  return totals;
}

/**
 * Index of a row's hour, oldest first. Rows stamped a little after `now` (clock skew between
 * writers) count in the last hour, so the buckets always add up to the window's totals.
 */
function bucketIndex(bin: Date, now: Date) {
  return Math.min(BUCKET_COUNT - 1, Math.max(0, Math.floor((bin.getTime() - (now.getTime() - DELIVERY_WINDOW_MS)) / HOUR_MS)));
}

function hourly(rows: BucketRow[], now: Date): HourlyStats {
  const buckets = emptyBuckets(now);
  for (const row of rows) {
    if (!row.bin) continue;
    const bucket = at(buckets, bucketIndex(row.bin, now));
    bucket.succeeded += row.succeeded;
    bucket.failed += row.failed;
    bucket.retrying += row.retrying;
  }
  return { from: now.getTime() - DELIVERY_WINDOW_MS, to: now.getTime(), buckets, totals: totalsOf(buckets) };
}

const windowStart = (now: Date) => new Date(now.getTime() - DELIVERY_WINDOW_MS);

/** One webhook's requests per hour (the details page chart). Disabled hooks keep their history. */
export async function hookHourlyStats(
  ctx: ServiceContext,
  hookId: string,
  now = ctx.clock.now(),
  source: StatsSource = "rollups",
): Promise<HourlyStats> {
  // Side by side: an unknown hook's buckets are empty and the 404 wins (one round trip less in a row).
  const [hook, rows] = await Promise.all([
    ctx.db.hook.findUnique({ where: { id: hookId }, select: { id: true } }),
    ctx.db
      .$queryRaw(hookBucketsSql([hookId], windowStart(now), source))
      .then((found) => rowsOf(bucketRowSchema, found, "the hook buckets")),
  ]);
  if (!hook) throw notFound("hook", hookId);
  return hourly(rows, now);
}

/** Requests, failures and in-flight requests per hour, and their totals, for each given hook; zeros for hooks without requests. */
export async function hookSparklines(
  ctx: ServiceContext,
  hookIds: string[],
  now = ctx.clock.now(),
  source: StatsSource = "rollups",
): Promise<SparklineMap> {
  const map: SparklineMap = {};
  const zeros = () => new Array<number>(BUCKET_COUNT).fill(0);
  for (const id of hookIds) map[id] = { requests: zeros(), failures: zeros(), retrying: zeros(), totals: totalsOf([]) };
  if (hookIds.length === 0) return map;
  const rows = rowsOf(bucketRowSchema, await ctx.db.$queryRaw(hookBucketsSql(hookIds, windowStart(now), source)), "the sparkline buckets");
  const perHook = new Map<SparklineMap[string], BucketRow[]>();
  for (const row of rows) {
    const line = row.hookId === null ? undefined : map[row.hookId];
    if (!line || !row.bin || row.hookId === null) continue;
    const index = bucketIndex(row.bin, now);
    line.requests[index] = at(line.requests, index) + row.succeeded + row.failed + row.retrying;
    line.failures[index] = at(line.failures, index) + row.failed;
    line.retrying[index] = at(line.retrying, index) + row.retrying;
    perHook.set(line, [...(perHook.get(line) ?? []), row]);
  }
  for (const [line, hookRows] of perHook) line.totals = totalsOf(hookRows);
  return map;
}

/** Totals across every webhook, requests per hour, and the webhooks failing most. */
export async function overviewStats(ctx: ServiceContext, now = ctx.clock.now(), source: StatsSource = "rollups"): Promise<OverviewStats> {
  const [rows, hookCounts] = await Promise.all([
    ctx.db.$queryRaw(overviewBucketsSql(windowStart(now), source)).then((rows) => rowsOf(bucketRowSchema, rows, "the overview buckets")),
    ctx.db.hook.groupBy({ by: ["enabled"], _count: { _all: true } }),
  ]);
  const perHour = rows.filter((row) => row.hookId === null);
  const perHook = rows.filter((row): row is BucketRow & { hookId: string } => row.hookId !== null && row.bin === null);
  const failing = perHook
    .map((row) => ({ hookId: row.hookId, ...totalsOf([row]) }))
    .filter((row) => row.failedCount + row.retryingCount > 0)
    .sort((a, b) => b.failedCount + b.retryingCount - (a.failedCount + a.retryingCount) || b.requestCount - a.requestCount)
    .slice(0, TOP_FAILING_LIMIT);
  const hooks = await ctx.db.hook.findMany({
    where: { id: { in: failing.map((row) => row.hookId) } },
    select: { id: true, name: true, enabled: true },
  });
  const byId = new Map(hooks.map((hook) => [hook.id, hook]));
  const topFailing: HookFailureStats[] = failing.flatMap((row) => {
    const hook = byId.get(row.hookId);
    // A hook deleted meanwhile takes its deliveries with it; skip the straggler.
    return hook ? [{ ...row, name: hook.name, enabled: hook.enabled }] : [];
  });
  return {
    ...hourly(perHour, now),
    hookCount: hookCounts.reduce((sum, group) => sum + group._count._all, 0),
    enabledHookCount: hookCounts.find((group) => group.enabled)?._count._all ?? 0,
    topFailing,
  };
}
