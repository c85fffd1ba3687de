// EXPLAIN (ANALYZE, BUFFERS) and timings of the request-log queries at scale, after
// scripts/seed-deliveries.ts:
//   DATABASE_URL=postgres://… npx tsx scripts/explain-deliveries.ts [--runs 7] [--quiet]
// Each case times the real service call (median of --runs warm runs, Prisma included) and prints
// the plan of the very SQL it runs (built by lib/deliveries/queries.ts). --quiet prints the summary only.
import { parseArgs } from "node:util";
import { first } from "../lib/assert";
import { createContext, installContext } from "../lib/context";
import { prepareDatabase } from "../lib/db/bootstrap";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "7" }, quiet: { type: "boolean", default: false } },
});
const runs = Math.max(1, Number(values.runs));

type Case = { name: string; run: () => Promise<unknown>; sql: unknown; rollback?: boolean };
type Outcome = { name: string; medianMs: number; planMs: number | null; rows: string; top: string };

async function main() {
  const database = await prepareDatabase();
  const ctx = installContext(createContext({ databaseUrl: database.url }));
  const { db } = ctx;
  const { Prisma } = await import("../lib/db/client");
  const queries = await import("../lib/deliveries/queries");
  const { listDeliveries, recentLogs, decodeCursor } = await import("../lib/deliveries/service");
  const { hookHourlyStats, hookSparklines, overviewStats } = await import("../lib/deliveries/stats");
  const { executionStats } = await import("../lib/hooks/stats");
  const { DELIVERIES_PAGE_SIZE, DELIVERY_WINDOW_MS, listDeliveriesQuerySchema, recentLogsQuerySchema } =
    await import("../lib/deliveries/schemas");
  const table = (query: Record<string, string | undefined>) => listDeliveriesQuerySchema.parse(query);
  const logto = (query: Record<string, string | number>) => recentLogsQuerySchema.parse(query);

  type Sql = InstanceType<typeof Prisma.Sql>;
  const now = new Date();
  const since = new Date(now.getTime() - DELIVERY_WINDOW_MS);

  // Aggregates: one row each.
  const { total } = first(await db.$queryRaw<{ total: number }[]>`SELECT COUNT(*)::int AS total FROM "Delivery"`);
  const { size } = first(await db.$queryRaw<{ size: string }[]>`SELECT pg_size_pretty(pg_total_relation_size('"Delivery"')) AS size`);
  // The list's first page, in its order; the busiest hook of the window for the per-hook cases.
  const page = await db.hook.findMany({ orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: 20, select: { id: true } });
  const pageIds = page.map((hook) => hook.id);
  const overview = await overviewStats(ctx, now);
  const [busiest] = await db.$queryRaw<{ hookId: string; n: number }[]>`
    SELECT "hookId", COUNT(*)::int AS n FROM "Delivery" WHERE "createdAt" >= ${since} GROUP BY 1 ORDER BY 2 DESC LIMIT 1`;
  if (!busiest) throw new Error("No deliveries in the last 24 h: run scripts/seed-deliveries.ts first.");
  const hookId = busiest.hookId;
  const { hookTotal } = first(
    await db.$queryRaw<{ hookTotal: number }[]>`SELECT COUNT(*)::int AS "hookTotal" FROM "Delivery" WHERE "hookId" = ${hookId}`,
  );
  // A cursor ten pages deep, taken the way the console walks pages.
  let cursor: string | null = null;
  for (let index = 0; index < 10; index++) cursor = (await listDeliveries(ctx, hookId, table(cursor ? { cursor } : {}), now)).nextCursor;
  const deep = cursor ? decodeCursor(cursor) : null;

  console.log(
    `Delivery rows: ${total.toLocaleString()} (${size}); in the last 24 h: ${overview.totals.requestCount.toLocaleString()} requests`,
  );
  console.log(
    `Busiest hook ${hookId}: ${hookTotal.toLocaleString()} rows, ${busiest.n.toLocaleString()} in 24 h; list page: ${pageIds.length} hooks\n`,
  );

  const filter = { hookId, since };
  const cases: Case[] = [
    { name: "list: executionStats (20 hooks)", run: () => executionStats(ctx, pageIds, now), sql: queries.hookTotalsSql(pageIds, since) },
    { name: "list: sparklines (20 hooks)", run: () => hookSparklines(ctx, pageIds, now), sql: queries.hookBucketsSql(pageIds, since) },
    {
      name: "table: first page",
      run: () => listDeliveries(ctx, hookId, table({}), now),
      sql: queries.deliveryPageSql(filter, null, DELIVERIES_PAGE_SIZE),
    },
    {
      name: "table: page 11 (cursor)",
      run: () => listDeliveries(ctx, hookId, table({ cursor: cursor ?? undefined }), now),
      sql: queries.deliveryPageSql(filter, deep, DELIVERIES_PAGE_SIZE),
    },
    {
      name: "table: event filter",
      run: () => listDeliveries(ctx, hookId, table({ event: "User.Deleted" }), now),
      sql: queries.deliveryPageSql({ ...filter, event: "User.Deleted" }, null, DELIVERIES_PAGE_SIZE),
    },
    {
      name: "table: failed only",
      run: () => listDeliveries(ctx, hookId, table({ result: "failed" }), now),
      sql: queries.deliveryPageSql({ ...filter, result: "failed" }, null, DELIVERIES_PAGE_SIZE),
    },
    {
      name: "table: event + failed",
      run: () => listDeliveries(ctx, hookId, table({ event: "Scope.Created", result: "failed" }), now),
      sql: queries.deliveryPageSql({ ...filter, event: "Scope.Created", result: "failed" }, null, DELIVERIES_PAGE_SIZE),
    },
    { name: "chart: one hook, 24 x 1 h", run: () => hookHourlyStats(ctx, hookId, now), sql: queries.hookBucketsSql([hookId], since) },
    { name: "overview: all hooks, 24 x 1 h", run: () => overviewStats(ctx, now), sql: queries.overviewBucketsSql(since) },
    {
      // Unfiltered, the total is the hook's request count, read from the stats rollups.
      name: "recent-logs: count",
      run: () => recentLogs(ctx, hookId, logto({}), now),
      sql: queries.hookTotalsSql([hookId], since),
    },
    {
      name: "recent-logs: count (event filter)",
      run: () => recentLogs(ctx, hookId, logto({ logKey: "TriggerHook.PostSignIn" }), now),
      sql: queries.deliveryCountSql({ ...filter, event: "PostSignIn", finishedOnly: true }),
    },
    {
      name: "recent-logs: page 1 (20)",
      run: () => recentLogs(ctx, hookId, logto({}), now),
      sql: queries.logtoPageSql({ ...filter, finishedOnly: true }, 20, 0),
    },
    {
      name: "recent-logs: page 50 (offset)",
      run: () => recentLogs(ctx, hookId, logto({ page: 50 }), now),
      sql: queries.logtoPageSql({ ...filter, finishedOnly: true }, 20, 49 * 20),
    },
    {
      name: "retention: one 5,000-row batch",
      run: async () => null,
      // What purgeOldDeliveries runs per batch, at a cutoff that has rows to delete; rolled back.
      sql: Prisma.sql`
        DELETE FROM "Delivery" d
         USING (SELECT "id" FROM "Delivery"
                 WHERE "createdAt" < ${new Date(now.getTime() - 7 * DELIVERY_WINDOW_MS)} AND "status" <> 'pending'
                 ORDER BY "createdAt" LIMIT 5000 FOR UPDATE SKIP LOCKED) doomed
         WHERE d."id" = doomed."id"`,
      rollback: true,
    },
  ];

  const outcomes: Outcome[] = [];
  for (const item of cases) {
    const timings: number[] = [];
    if (!item.rollback) {
      await item.run(); // warm-up
      for (let index = 0; index < runs; index++) {
        const started = performance.now();
        await item.run();
        timings.push(performance.now() - started);
      }
    }
    const explain = Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${item.sql as Sql}`;
    let plan: string[] = [];
    if (item.rollback) {
      await ctx
        .transaction(async ({ db: tx }) => {
          plan = (await tx.$queryRaw<{ "QUERY PLAN": string }[]>(explain)).map((row) => row["QUERY PLAN"]);
          throw new RollbackSignal();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RollbackSignal)) throw error;
        });
    } else {
      plan = (await db.$queryRaw<{ "QUERY PLAN": string }[]>(explain)).map((row) => row["QUERY PLAN"]);
    }
    const execution = plan.map((line) => /Execution Time: ([\d.]+) ms/.exec(line)).find(Boolean);
    timings.sort((a, b) => a - b);
    outcomes.push({
      name: item.name,
      medianMs: timings[Math.floor(timings.length / 2)] ?? Number.NaN,
      planMs: execution ? Number(execution[1]) : null,
      rows: /rows=(\d+)/.exec(plan.find((line) => line.includes("actual")) ?? "")?.[1] ?? "?",
      top: summarize(plan),
    });
    if (!values.quiet) {
      console.log(`=== ${item.name}`);
      console.log(plan.join("\n"));
      console.log();
    }
  }

  console.log("Summary (median wall-clock of the service call incl. Prisma; server execution time from EXPLAIN ANALYZE):");
  console.log(`${"case".padEnd(34)} ${"service".padStart(10)} ${"execution".padStart(10)}  plan`);
  for (const outcome of outcomes) {
    const service = Number.isNaN(outcome.medianMs) ? "-" : `${outcome.medianMs.toFixed(1)} ms`;
    const execution = outcome.planMs === null ? "?" : `${outcome.planMs.toFixed(1)} ms`;
    console.log(`${outcome.name.padEnd(34)} ${service.padStart(10)} ${execution.padStart(10)}  ${outcome.top}`);
  }
  await ctx.close();
  await database.stop();
}

class RollbackSignal extends Error {}

/** The scan nodes of a plan, e.g. "Index Only Scan using Delivery_hook_log_idx". */
function summarize(plan: string[]) {
  const scans = plan
    .map(
      (line) =>
        /((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan)(?: Backward)?(?: using \S+)?(?: on \S+)?)/.exec(
          line,
        )?.[1],
    )
    .filter((scan): scan is string => Boolean(scan));
  return [...new Set(scans)].join(", ");
}

main().catch((error: unknown) => {
  console.error("[explain] failed:", error);
  process.exit(1);
});
