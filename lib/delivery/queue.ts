// The outbox queries. A claim takes due rows with FOR UPDATE SKIP LOCKED and leases them by
// pushing `nextAttemptAt` to the lease's end: a worker that dies leaves a row that simply becomes
// due again, so the one partial index on pending `nextAttemptAt` finds new, retried and abandoned
// work alike. All times come from the database clock, so workers' clocks may disagree.
import { db, Prisma } from "@/lib/db/client";
import type { SendOutcome } from "./http";

/** NOTIFY channel that wakes workers when deliveries are queued. */
export const DELIVERY_CHANNEL = "wc_deliveries";

export type AttemptLogEntry = { at: string; status: number | null; durationMs: number | null; error: string | null };

export type ClaimedDelivery = {
  id: string;
  hookId: string;
  event: string;
  requestBody: string;
  /** Including the attempt this claim starts. */
  attempts: number;
  /** Set when the previous claimant's lease ran out mid-attempt (it crashed or hung). */
  lostLeaseUntil: Date | null;
  hook: {
    url: string;
    headers: unknown;
    enabled: boolean;
    signingKey: string;
    previousSigningKey: string | null;
    previousKeyExpiresAt: Date | null;
  };
};

type ClaimRow = Omit<ClaimedDelivery, "hook" | "lostLeaseUntil"> & {
  prevOwner: string | null;
  prevLeaseUntil: Date | null;
} & ClaimedDelivery["hook"];

export async function claimDue(owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const rows = await db.$queryRaw<ClaimRow[]>`
    WITH due AS (
      SELECT d.id, d."leaseOwner" AS prev_owner, d."leaseUntil" AS prev_lease_until
      FROM "Delivery" d
      WHERE d.status = 'pending' AND d."nextAttemptAt" <= now()
      ORDER BY d."nextAttemptAt"
      LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "Delivery" d
    SET attempts = d.attempts + 1,
        "leaseOwner" = ${owner},
        "leaseUntil" = now() + ${leaseMs}::int * interval '1 millisecond',
        "nextAttemptAt" = now() + ${leaseMs}::int * interval '1 millisecond'
    FROM due, "Hook" h
    WHERE d.id = due.id AND h.id = d."hookId"
    RETURNING d.id::text AS id, d."hookId", d.event, d."requestBody", d.attempts,
              due.prev_owner AS "prevOwner", due.prev_lease_until AS "prevLeaseUntil",
              h.url, h.headers, h.enabled, h."signingKey", h."previousSigningKey", h."previousKeyExpiresAt"`;
  return rows.map((row) => ({
    id: row.id,
    hookId: row.hookId,
    event: row.event,
    requestBody: row.requestBody,
    attempts: row.attempts,
    lostLeaseUntil: row.prevOwner ? row.prevLeaseUntil : null,
    hook: {
      url: row.url,
      headers: row.headers,
      enabled: row.enabled,
      signingKey: row.signingKey,
      previousSigningKey: row.previousSigningKey,
      previousKeyExpiresAt: row.previousKeyExpiresAt,
    },
  }));
}

export type AttemptRecord = {
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  /** For a retry: when it becomes due. */
  delayMs: number;
  error: string | null;
  entries: AttemptLogEntry[];
};

const asJson = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Writes an attempt into the ONE row of its delivery. Guarded by the lease: a worker that lost its
 * lease to another one does not overwrite the newer attempt. Returns whether the row was updated.
 */
export async function recordAttempt(owner: string, id: string, record: AttemptRecord, outcome: SendOutcome | null) {
  const final = record.status !== "pending";
  const outcomeFields = outcome
    ? Prisma.sql`,
        "requestUrl" = ${outcome.url},
        "requestHeaders" = ${asJson(outcome.requestHeaders)}::jsonb,
        "responseStatus" = ${outcome.status}::int,
        "responseHeaders" = ${asJson(outcome.responseHeaders)}::jsonb,
        "responseBody" = ${outcome.responseBody},
        "durationMs" = ${outcome.durationMs}::int`
    : Prisma.empty;
  const count = await db.$executeRaw`
    UPDATE "Delivery"
    SET status = ${record.status}::"DeliveryStatus",
        attempts = ${record.attempts}::int,
        "nextAttemptAt" = now() + ${final ? 0 : record.delayMs}::int * interval '1 millisecond',
        "leaseOwner" = NULL,
        "leaseUntil" = NULL,
        error = ${record.error},
        "attemptLog" = "attemptLog" || ${JSON.stringify(record.entries)}::jsonb,
        "completedAt" = CASE WHEN ${final}::boolean THEN now() END
        ${outcomeFields}
    WHERE id = ${id}::uuid AND "leaseOwner" = ${owner}`;
  return count === 1;
}

/** Hands claimed rows back untouched (graceful shutdown): due now, the started attempt uncounted. */
export async function releaseClaims(owner: string, ids: string[]) {
  if (ids.length === 0) return;
  await db.$executeRaw`
    UPDATE "Delivery"
    SET attempts = attempts - 1, "leaseOwner" = NULL, "leaseUntil" = NULL, "nextAttemptAt" = now()
    WHERE "leaseOwner" = ${owner}
      AND id IN (SELECT value::uuid FROM json_array_elements_text(${JSON.stringify(ids)}::json))`;
}

/** Milliseconds until the earliest pending row is due (0 if overdue), or null when none is pending. */
export async function msUntilNextDue(): Promise<number | null> {
  const [row] = await db.$queryRaw<{ ms: number | null }[]>`
    SELECT (extract(epoch FROM (min("nextAttemptAt") - now())) * 1000)::float8 AS ms
    FROM "Delivery" WHERE status = 'pending'`;
  return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
}
