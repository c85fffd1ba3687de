// The outbox queries. A claim takes due rows with FOR UPDATE SKIP LOCKED and leases them by
// pushing `nextAttemptAt` to the lease's end: a worker that dies leaves a row that simply becomes
// due again, so the one partial index on pending `nextAttemptAt` finds new, retried and abandoned
// work alike. All times come from the database clock, so workers' clocks may disagree.
// These run thousands of times a second, so they are prepared statements on the raw pool (`query`).
import { query } from "@/lib/db/client";
import { logger } from "@/lib/observability/log";
import { createBatcher } from "./batcher";
import type { SendOutcome } from "./http";

/** NOTIFY channel that wakes workers when deliveries are queued. */
export const DELIVERY_CHANNEL = "wc_deliveries";

let notifying: Promise<void> | null = null;
let notifyAgain = false;

/**
 * Wakes every listening worker. Sent after the inserting transaction commits, not inside it: a
 * transaction that NOTIFYs holds a global lock through its commit, which serializes concurrent
 * ingests (measured: ~400 vs ~2,700 inserts/s). Calls coalesce: at most one NOTIFY in flight, plus
 * one more for rows committed meanwhile. A NOTIFY lost to a crash only costs the workers' safety
 * poll interval.
 */
export function wakeWorkers() {
  if (notifying) {
    notifyAgain = true;
    return;
  }
  notifying = (async () => {
    do {
      notifyAgain = false;
      await query(`SELECT pg_notify($1, '')`, [DELIVERY_CHANNEL], "wc_notify");
    } while (notifyAgain);
  })()
    .catch((error: unknown) => logger("deliveries").error({ err: error }, "NOTIFY failed; workers will find the work on their next poll"))
    .finally(() => {
      notifying = null;
    });
}

export type AttemptLogEntry = { at: string; status: number | null; durationMs: number | null; error: string | null };

export type ClaimedDelivery = {
  id: string;
  hookId: string;
  event: string;
  requestBody: string;
  /** Including the attempt this claim starts. */
  attempts: number;
  /** Of `attempts`, those whose claimant's lease ran out mid-attempt (it crashed or hung). */
  interruptions: number;
  /** Set when the previous claimant's lease ran out mid-attempt. */
  lostLeaseUntil: Date | null;
  /** With `lostLeaseUntil`: entries in the attempt log, so the lost attempts can be logged. */
  loggedAttempts: number;
  hook: {
    url: string;
    headers: unknown;
    enabled: boolean;
    signingKey: string;
    previousSigningKey: string | null;
    previousKeyExpiresAt: Date | null;
  };
};

type ClaimRow = Omit<ClaimedDelivery, "hook" | "lostLeaseUntil" | "loggedAttempts"> & {
  prevOwner: string | null;
  prevLeaseUntil: Date | null;
  logged: number | null;
} & ClaimedDelivery["hook"];

export async function claimDue(owner: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const rows = await query<ClaimRow>(
    `WITH due AS (
      SELECT d.id, d."leaseOwner" AS prev_owner, d."leaseUntil" AS prev_lease_until
      FROM "Delivery" d
      WHERE d.status = 'pending' AND d."nextAttemptAt" <= now()
      ORDER BY d."nextAttemptAt"
      LIMIT $1::int
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "Delivery" d
    SET attempts = d.attempts + 1,
        interruptions = d.interruptions + CASE WHEN due.prev_owner IS NULL THEN 0 ELSE 1 END,
        "leaseOwner" = $2,
        "leaseUntil" = now() + $3::int * interval '1 millisecond',
        "nextAttemptAt" = now() + $3::int * interval '1 millisecond'
    FROM due, "Hook" h
    WHERE d.id = due.id AND h.id = d."hookId"
    RETURNING d.id::text AS id, d."hookId", d.event, d."requestBody", d.attempts, d.interruptions,
              due.prev_owner AS "prevOwner", due.prev_lease_until AS "prevLeaseUntil",
              CASE WHEN due.prev_owner IS NOT NULL THEN jsonb_array_length(d."attemptLog") END::int AS logged,
              h.url, h.headers, h.enabled, h."signingKey", h."previousSigningKey", h."previousKeyExpiresAt"`,
    [limit, owner, leaseMs],
    "wc_claim_due",
  );
  return rows.map((row) => ({
    id: row.id,
    hookId: row.hookId,
    event: row.event,
    requestBody: row.requestBody,
    attempts: row.attempts,
    interruptions: row.interruptions,
    lostLeaseUntil: row.prevOwner ? row.prevLeaseUntil : null,
    loggedAttempts: row.logged ?? 0,
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

type AttemptWrite = { owner: string; id: string; record: AttemptRecord; outcome: SendOutcome | null };

async function writeAttempts(writes: AttemptWrite[]): Promise<boolean[]> {
  const rows = writes.map(({ owner, id, record, outcome }) => ({
    id,
    owner,
    status: record.status,
    attempts: record.attempts,
    delay_ms: record.status === "pending" ? record.delayMs : 0,
    final: record.status !== "pending",
    error: record.error,
    entries: record.entries,
    has_outcome: outcome !== null,
    request_url: outcome?.url ?? null,
    request_headers: outcome?.requestHeaders ?? null,
    response_status: outcome?.status ?? null,
    response_headers: outcome?.responseHeaders ?? null,
    response_body: outcome?.responseBody ?? null,
    duration_ms: outcome?.durationMs ?? null,
  }));
  // Without an outcome (nothing was sent) the request/response columns keep their last values.
  // The ids also go in as an array: the planner guesses 100 rows for json_to_recordset and, on a
  // table of some thousands of rows, hash-joined it against a full scan of "Delivery" on every
  // write (3 ms per statement in pg_stat_statements); `id = ANY` makes it a primary key lookup.
  const updated = await query<{ id: string }>(
    `UPDATE "Delivery" d
    SET status = r.status::"DeliveryStatus",
        attempts = r.attempts,
        "nextAttemptAt" = now() + r.delay_ms * interval '1 millisecond',
        "leaseOwner" = NULL,
        "leaseUntil" = NULL,
        error = r.error,
        "attemptLog" = d."attemptLog" || r.entries,
        "completedAt" = CASE WHEN r.final THEN now() END,
        "requestUrl" = CASE WHEN r.has_outcome THEN r.request_url ELSE d."requestUrl" END,
        "requestHeaders" = CASE WHEN r.has_outcome THEN r.request_headers ELSE d."requestHeaders" END,
        "responseStatus" = CASE WHEN r.has_outcome THEN r.response_status ELSE d."responseStatus" END,
        "responseHeaders" = CASE WHEN r.has_outcome THEN r.response_headers ELSE d."responseHeaders" END,
        "responseBody" = CASE WHEN r.has_outcome THEN r.response_body ELSE d."responseBody" END,
        "durationMs" = CASE WHEN r.has_outcome THEN r.duration_ms ELSE d."durationMs" END
    FROM json_to_recordset($1::json) AS r(
      id uuid, owner text, status text, attempts int, delay_ms int, final boolean, error text, entries jsonb,
      has_outcome boolean, request_url text, request_headers jsonb, response_status int, response_headers jsonb,
      response_body text, duration_ms int)
    WHERE d.id = ANY ($2::uuid[]) AND d.id = r.id AND d."leaseOwner" = r.owner
    RETURNING d.id::text AS id`,
    [JSON.stringify(rows), writes.map((write) => write.id)],
    "wc_write_attempts",
  );
  const done = new Set(updated.map((row) => row.id));
  return writes.map((write) => done.has(write.id));
}

// Attempts finishing together are written by one statement (see createBatcher).
const attemptWriter = createBatcher(writeAttempts, { maxBatch: 200, maxConcurrent: 4 });

/**
 * Writes an attempt into the ONE row of its delivery. Guarded by the lease: a worker that lost its
 * lease to another one does not overwrite the newer attempt. Returns whether the row was updated.
 */
export function recordAttempt(owner: string, id: string, record: AttemptRecord, outcome: SendOutcome | null) {
  return attemptWriter({ owner, id, record, outcome });
}

/**
 * Hands a claimed row back (graceful shutdown): due now, the started attempt uncounted. `entries`
 * logs earlier attempts found interrupted when it was claimed, which stay counted.
 */
export async function releaseClaim(owner: string, id: string, entries: AttemptLogEntry[]) {
  await query(
    `UPDATE "Delivery"
    SET attempts = attempts - 1, "leaseOwner" = NULL, "leaseUntil" = NULL, "nextAttemptAt" = now(),
        "attemptLog" = "attemptLog" || $3::jsonb
    WHERE "leaseOwner" = $1 AND id = $2::uuid`,
    [owner, id, JSON.stringify(entries)],
  );
}

/** Milliseconds until the earliest pending row is due (0 if overdue), or null when none is pending. */
export async function msUntilNextDue(): Promise<number | null> {
  const [row] = await query<{ ms: number | null }>(
    `SELECT (extract(epoch FROM (min("nextAttemptAt") - now())) * 1000)::float8 AS ms
    FROM "Delivery" WHERE status = 'pending'`,
    [],
    "wc_next_due",
  );
  return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
}
