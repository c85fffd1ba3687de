// One pass for platforms with a cron scheduler instead of a long-running worker
// (GET/POST /api/cron/deliver): due deliveries for a bounded time, then the housekeeping a worker
// would do, bounded too. Without the rollups the 24 h stats would read every raw row of the window.
import { z } from "zod";
import type { ServiceContext } from "@/lib/context";
import { processDueDeliveries } from "@/lib/delivery/worker";
import { purgeOldDeliveries } from "@/lib/deliveries/retention";
import { rollupDeliveries } from "@/lib/deliveries/rollup";
import { logger } from "@/lib/observability/log";

/** The deliveries' counts stand whatever housekeeping does: its failures are logged, and the next pass retries. */
async function housekeeping<T>(name: string, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    logger("cron").error({ err: error }, `${name} failed; the next pass retries`);
    return null;
  }
}

const count = z.number().int();
/** What a pass did: the worker's counts, how long it took, what housekeeping purged and rolled up. */
export const cronPassSchema = z.object({
  claimed: count,
  /** Of those claimed, the rows a result write handed straight to this pass (its hook's next due row). */
  handedOver: count,
  succeeded: count,
  failed: count,
  pending: count,
  released: count,
  lost: count,
  durationMs: z.number(),
  purgedDeliveries: count,
  statsRolledUntil: z.string().nullable(),
});
export type CronPassResult = z.infer<typeof cronPassSchema>;

export async function cronPass(ctx: ServiceContext, deadlineMs: number): Promise<CronPassResult> {
  const counts = await processDueDeliveries({ deadlineMs, context: ctx });
  const purged = await housekeeping("purge", () => purgeOldDeliveries(ctx, { maxBatches: 4 }));
  const rollup = await housekeeping("stats rollup", () => rollupDeliveries(ctx));
  return {
    ...counts,
    purgedDeliveries: purged?.deliveries ?? 0,
    statsRolledUntil: rollup && !rollup.skipped ? rollup.rolledUntil.toISOString() : null,
  };
}
