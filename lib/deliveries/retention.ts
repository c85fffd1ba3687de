// Retention: deliveries older than RETENTION_DAYS (default 14) are deleted in small batches, so a
// large purge never holds long locks or one huge transaction, then events left without deliveries.
import type { ServiceContext } from "@/lib/context";
import { startPeriodic, type PeriodicJob } from "@/lib/jobs/periodic";
import { lineLogger } from "@/lib/observability/log";

export type PurgeOptions = {
  olderThanDays?: number;
  /** Rows per DELETE statement. */
  batchSize?: number;
  now?: Date;
  /** Stops after this many batches per table (a time budget for callers that need one). */
  maxBatches?: number;
};

export type PurgeResult = { deliveries: number; events: number; cutoff: Date };

const DAY_MS = 24 * 60 * 60 * 1000;

export async function purgeOldDeliveries(ctx: ServiceContext, options: PurgeOptions = {}): Promise<PurgeResult> {
  const olderThanDays = options.olderThanDays ?? ctx.config.RETENTION_DAYS;
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 5_000));
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  const cutoff = new Date((options.now ?? ctx.clock.now()).getTime() - olderThanDays * DAY_MS);

  let deliveries = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    // Pending rows are kept whatever their age: they are accepted events not yet delivered (a
    // worker outage longer than the retention period), and dropping them would lose them.
    // SKIP LOCKED: concurrent purgers (several workers) split the work instead of waiting.
    const count = await ctx.db.$executeRaw`
      DELETE FROM "Delivery" d
       USING (SELECT "id" FROM "Delivery"
               WHERE "createdAt" < ${cutoff} AND "status" <> 'pending'
               ORDER BY "createdAt"
               LIMIT ${batchSize}::int
               FOR UPDATE SKIP LOCKED) doomed
       WHERE d."id" = doomed."id"`;
    deliveries += count;
    if (count < batchSize) break;
  }

  let events = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    // Events are kept while a delivery still refers to them (a resend repeats its event's row).
    const count = await ctx.db.$executeRaw`
      DELETE FROM "Event" e
       USING (SELECT ev."id" FROM "Event" ev
               WHERE ev."createdAt" < ${cutoff}
                 AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."eventId" = ev."id")
               ORDER BY ev."createdAt"
               LIMIT ${batchSize}::int
               FOR UPDATE SKIP LOCKED) doomed
       WHERE e."id" = doomed."id"`;
    events += count;
    if (count < batchSize) break;
  }
  return { deliveries, events, cutoff };
}

export type RetentionTimer = PeriodicJob;

/**
 * Purges now and then every `intervalMs` (default hourly) until stopped. Safe to run in every
 * worker process: batches skip rows another purger holds. Errors are logged and retried next time.
 */
export function startRetentionTimer(
  ctx: ServiceContext,
  options: PurgeOptions & { intervalMs?: number; log?: (message: string) => void } = {},
): RetentionTimer {
  const { intervalMs = 60 * 60 * 1000, log, ...purge } = options;
  // Routine runs are housekeeping (debug); failures are warnings.
  const routine = log ?? lineLogger("retention", "debug");
  return startPeriodic(
    "purge",
    async () => {
      const result = await purgeOldDeliveries(ctx, purge);
      if (result.deliveries + result.events > 0) {
        routine(`purged ${result.deliveries} deliveries and ${result.events} events older than ${result.cutoff.toISOString()}`);
      }
    },
    { intervalMs, firstDelayMs: 30_000, log: log ?? lineLogger("retention", "warn") },
  );
}
