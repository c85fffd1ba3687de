// Per-minute rollups of the delivery log for the 24 h stats (lib/deliveries/queries.ts reads them).
// A minute is rolled up once no row created in it can still change: it holds no pending row (a
// final row is never updated again: the worker's writes are guarded by a lease that a final write
// clears, and a resend inserts a NEW row stamped now), and it is SETTLE_MS old, so rows stamped by
// a writer's clock but committed a little later, or by a clock a little behind, are in it already.
// The watermark W never passes a pending row; the stats read raw rows from W on, so a delivery
// pending for hours (backlog, Retry-After) only makes the stats read more raw rows meanwhile.
import { z } from "zod";
import { first } from "@/lib/assert";
import type { ServiceContext } from "@/lib/context";
import { startPeriodic, type PeriodicJob } from "@/lib/jobs/periodic";
import { lineLogger } from "@/lib/observability/log";
import { DELIVERY_WINDOW_MS } from "./schemas";
import { rowsOf } from "@/lib/db/rows";
import { ADVISORY_LOCKS } from "@/lib/db/advisory-locks";
import { rollupAdvanceSql, rollupPruneSql, rollupRowSchema } from "./queries";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How old a minute must be before it is rolled up. */
export const SETTLE_MS = 3 * MINUTE_MS;
const lockRowSchema = z.object({ locked: z.boolean() });

export type RollupOptions = {
  now?: Date;
  settleMs?: number;
  /** Defaults to RETENTION_DAYS: rollups never cover minutes retention may purge meanwhile. */
  retentionDays?: number;
};

export type RollupResult =
  | { skipped: true }
  | { skipped: false; rolledFrom: Date; rolledUntil: Date; previousUntil: Date | null; minuteRows: number; pruned: number };

const floorMinute = (ms: number) => new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS);
const ceilMinute = (ms: number) => new Date(Math.ceil(ms / MINUTE_MS) * MINUTE_MS);

/**
 * Advances the watermark and prunes old rollups in one transaction. Another process rolling up
 * at the same moment holds the lock: this run is skipped rather than queued (it would find
 * nothing left to do).
 */
export async function rollupDeliveries(ctx: ServiceContext, options: RollupOptions = {}): Promise<RollupResult> {
  const now = (options.now ?? ctx.clock.now()).getTime();
  const settleMs = options.settleMs ?? SETTLE_MS;
  const retentionDays = options.retentionDays ?? ctx.config.RETENTION_DAYS;
  // Kept: the window (24 h) plus an hour, so a stats request whose `now` lags the rollup's a
  // little still finds its minutes; never closer than 5 min to the retention cutoff, where a purge
  // running shortly after this would delete rows these rollups still count.
  const keepFrom = new Date(
    Math.max(
      floorMinute(now - DELIVERY_WINDOW_MS - 60 * MINUTE_MS).getTime(),
      ceilMinute(now - retentionDays * DAY_MS + 5 * MINUTE_MS).getTime(),
    ),
  );
  // A first run (or one after a long stop) starts at the window's start: older minutes never count.
  const startFrom = new Date(Math.max(floorMinute(now - DELIVERY_WINDOW_MS - MINUTE_MS).getTime(), keepFrom.getTime()));
  const settledUntil = floorMinute(now - settleMs);
  return ctx.transaction(
    async ({ db: tx }) => {
      const [lock] = rowsOf(
        lockRowSchema,
        await tx.$queryRaw`SELECT pg_try_advisory_xact_lock(${ADVISORY_LOCKS.rollup}::bigint) AS "locked"`,
        "the rollup lock",
      );
      if (!lock?.locked) return { skipped: true } as const;
      // Every CTE of the advance reads from aggregates, so it returns exactly one row.
      const row = first(
        rowsOf(rollupRowSchema, await tx.$queryRaw(rollupAdvanceSql({ settledUntil, startFrom, keepFrom })), "the rollup advance"),
      );
      const pruned = await tx.$executeRaw(rollupPruneSql());
      return { skipped: false, ...row, pruned } as const;
    },
    // A first run on a full day of rows aggregates all of it (about 1 s per million rows).
    { timeout: 120_000, maxWait: 10_000 },
  );
}

export type RollupTimer = PeriodicJob;

/**
 * Rolls up every `intervalMs` (default every minute) until stopped, like the retention timer: safe
 * in every worker process (one runs at a time, the others skip), errors logged and retried.
 */
export function startRollupTimer(
  ctx: ServiceContext,
  options: RollupOptions & { intervalMs?: number; log?: (message: string) => void } = {},
): RollupTimer {
  const { intervalMs = MINUTE_MS, log, ...rollup } = options;
  // Routine runs are housekeeping (debug); failures are warnings.
  const routine = log ?? lineLogger("rollup", "debug");
  return startPeriodic(
    "rollup",
    async () => {
      const result = await rollupDeliveries(ctx, rollup);
      // A first run, or one after a stop, says how far back it went; routine runs stay quiet.
      if (!result.skipped && (result.previousUntil === null || result.previousUntil.getTime() < result.rolledFrom.getTime())) {
        routine(
          `rolled up ${result.minuteRows} hook-minutes from ${result.rolledFrom.toISOString()} to ${result.rolledUntil.toISOString()}`,
        );
      }
    },
    { intervalMs, firstDelayMs: 15_000, log: log ?? lineLogger("rollup", "warn") },
  );
}
