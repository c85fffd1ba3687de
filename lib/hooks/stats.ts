// Health numbers for the webhooks list ("Success rate (24h)", "Requests (24h)"), from the
// delivery rows: one row is one request whatever its retries, so attempts never inflate counts.
import type { ServiceContext } from "@/lib/context";
import { rowsOf } from "@/lib/db/rows";
import { hookTotalsSql, totalsRowSchema, type StatsSource } from "@/lib/deliveries/queries";
import { DELIVERY_WINDOW_MS } from "@/lib/deliveries/schemas";
import type { ExecutionStats } from "./schemas";

export const STATS_WINDOW_MS = DELIVERY_WINDOW_MS;

const ZERO: ExecutionStats = { successCount: 0, requestCount: 0 };

/**
 * Stats of the last 24 hours for each hook id, in one grouped query; hooks without deliveries
 * get zeros. A delivery counts as a request once it has finished, as in Logto, whose log gets an
 * entry when a request has its outcome: one still being sent or waiting for a retry is not counted
 * yet (the console shows those as "in flight" from its own stats), and it is a success when it succeeded.
 */
export async function executionStats(
  ctx: ServiceContext,
  hookIds: string[],
  now = ctx.clock.now(),
  source: StatsSource = "rollups",
): Promise<Map<string, ExecutionStats>> {
  const stats = new Map<string, ExecutionStats>(hookIds.map((id) => [id, { ...ZERO }]));
  if (hookIds.length === 0) return stats;
  const since = new Date(now.getTime() - STATS_WINDOW_MS);
  // The request log's query (lib/deliveries/queries.ts): per-minute rollups plus raw rows where none apply.
  const rows = rowsOf(totalsRowSchema, await ctx.db.$queryRaw(hookTotalsSql(hookIds, since, source)), "the execution stats");
  for (const row of rows) stats.set(row.hookId, { successCount: row.successCount, requestCount: row.requestCount });
  return stats;
}
