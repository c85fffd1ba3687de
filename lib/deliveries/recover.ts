// Bulk recovery ("Resend failed requests"): every failed request of one hook in a time range gets
// ONE new request (a resend, `resendOfId` = the original), as the single Resend does. A failed
// row that already has a resend is skipped, so running it twice, or while the first run's resends
// are still pending, queues nothing twice. Rows are walked in bounded batches (one short
// transaction each, serialized per hook by an advisory lock), so a large range never holds long
// locks or builds one huge statement.
import { z } from "zod";
import type { ServiceContext } from "@/lib/context";
import { rowsOf } from "@/lib/db/rows";
import { wakeWorkers } from "@/lib/delivery/queue";
import { notFound, ServiceError } from "@/lib/errors";
import { DELIVERY_WINDOW_MS, type RecoverRange, type RecoverResult } from "./schemas";

export const RECOVER_BATCH = 500;

type Range = { since: Date; until: Date };

async function rangeOf(ctx: ServiceContext, hookId: string, parsed: RecoverRange): Promise<Range> {
  const hook = await ctx.db.hook.findUnique({ where: { id: hookId }, select: { enabled: true } });
  if (!hook) throw notFound("hook", hookId);
  if (!hook.enabled) throw new ServiceError("hook_disabled", "The webhook is disabled: reactivate it to resend requests.");
  const until = parsed.until ?? ctx.clock.now().getTime();
  return { since: new Date(parsed.since ?? until - DELIVERY_WINDOW_MS), until: new Date(until) };
}

const eligibleRowSchema = z.object({ n: z.number().int() });
/** One row of a recovery batch: the failed delivery, and whether this batch queued its resend. */
const batchRowSchema = z.object({ createdAt: z.date(), id: z.string(), inserted: z.boolean() });
type BatchRow = z.infer<typeof batchRowSchema>;

/** Failed requests in the range without a resend yet: what a recovery would queue. */
async function eligibleCount(ctx: ServiceContext, hookId: string, { since, until }: Range) {
  const found = await ctx.db.$queryRaw`
    SELECT count(*)::int AS n FROM "Delivery" d
     WHERE d."hookId" = ${hookId} AND d."createdAt" >= ${since} AND d."createdAt" < ${until} AND d.status = 'failed'
       AND NOT EXISTS (SELECT 1 FROM "Delivery" r WHERE r."resendOfId" = d.id)`;
  const [row] = rowsOf(eligibleRowSchema, found, "the recovery count");
  return row?.n ?? 0;
}

/** `input`: parsed at the edge by recoverSchema. */
export async function previewRecovery(ctx: ServiceContext, hookId: string, input: RecoverRange): Promise<RecoverResult> {
  const range = await rangeOf(ctx, hookId, input);
  return { queued: 0, eligible: await eligibleCount(ctx, hookId, range), since: range.since.getTime(), until: range.until.getTime() };
}

export async function recoverFailed(
  ctx: ServiceContext,
  hookId: string,
  input: RecoverRange,
  { batchSize = RECOVER_BATCH } = {},
): Promise<RecoverResult & { batches: number }> {
  const range = await rangeOf(ctx, hookId, input);
  const eligible = await eligibleCount(ctx, hookId, range);
  let queued = 0;
  let batches = 0;
  // Keyset cursor over (createdAt, id): each batch reads the next failed rows after the last one.
  let cursor: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const after: { createdAt: Date; id: string } | null = cursor;
    const rows: BatchRow[] = await ctx.transaction(async ({ db: tx }): Promise<BatchRow[]> => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`recover:${hookId}`}))`;
      const found = await tx.$queryRaw`
        WITH batch AS (
          SELECT d.id, d."createdAt", d."eventId", d.event, d."requestBody",
                 EXISTS (SELECT 1 FROM "Delivery" r WHERE r."resendOfId" = d.id) AS resent
            FROM "Delivery" d
           WHERE d."hookId" = ${hookId} AND d."createdAt" >= ${range.since} AND d."createdAt" < ${range.until}
             AND d.status = 'failed'
             AND (${after?.createdAt ?? null}::timestamptz IS NULL OR (d."createdAt", d.id) > (${after?.createdAt ?? null}::timestamptz, ${after?.id ?? null}::uuid))
           ORDER BY d."createdAt", d.id
           LIMIT ${batchSize}::int
        ),
        inserted AS (
          INSERT INTO "Delivery" ("id", "hookId", "eventId", "event", "requestBody", "resendOfId", "createdAt")
          SELECT gen_random_uuid(), ${hookId}, b."eventId", b.event, b."requestBody", b.id, now()
            FROM batch b WHERE NOT b.resent
          RETURNING "resendOfId"
        )
        SELECT b."createdAt", b.id::text AS id, b.id IN (SELECT "resendOfId" FROM inserted) AS inserted
          FROM batch b ORDER BY b."createdAt", b.id`;
      return rowsOf(batchRowSchema, found, "a recovery batch");
    });
    batches++;
    queued += rows.filter((row) => row.inserted).length;
    if (queued > 0) wakeWorkers();
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) break;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
  return { queued, eligible, batches, since: range.since.getTime(), until: range.until.getTime() };
}
