// The delivery queue: every SQL statement of the outbox lives here (claims, attempt writes, the
// circuit breaker's bookkeeping, release, next-due). lib/delivery/state.ts holds the arithmetic.
//
// The queue is its own narrow table: a pending delivery's "DeliveryQueue" row holds its due time,
// its lease and its live counters, and goes with its final result; the wide "Delivery" row (the
// log entry) is written at insert and once per attempt result, never by a claim.
// A claim takes due rows with FOR UPDATE SKIP LOCKED and leases them: `leaseOwner`/`leaseUntil`
// are the lease, its own state (nextAttemptAt is left alone); a worker that dies leaves a lease
// that runs out, and the next claim takes the row again, counting an interruption.
// Isolation: the claim walks the webhooks that have pending rows and takes each one's oldest due
// rows round-robin (every hook's 1st row before any hook's 2nd), at most DELIVERY_HOOK_CONCURRENCY
// requests per hook and DELIVERY_HOST_CONCURRENCY per endpoint origin in one process, and four times
// that many leases (requests and results being written) over ALL workers: claims are serialized by
// a transaction-level advisory lock so two workers cannot both see a free slot. A hook whose circuit is open gets no rows (they are held) except one probe when it is due.
// All times come from the database clock, so workers' clocks may disagree.
// These run thousands of times a second, so they are prepared statements on the raw pool (`query`).
import { randomId } from "@/lib/auth/crypto";
import { appContext, pool, query } from "@/lib/context";
import { openSigningKeys } from "@/lib/secrets/at-rest";
import { logger } from "@/lib/observability/log";
import { ADVISORY_LOCKS } from "@/lib/db/advisory-locks";
import { isRetryableDbError } from "@/lib/db/retryable";
import { rowsOf } from "@/lib/db/rows";
import { createBatcher } from "./batcher";
import { storedRequestHeaders } from "./headers";
import type { SendOutcome } from "./http";
import type { EndpointSignal } from "./state";
import {
  claimRowSchema,
  heldRowSchema,
  hookIdRowSchema,
  idRowSchema,
  nextDueRowSchema,
  otherListenersRowSchema,
  writtenRowSchema,
  type ClaimAnswerRow,
  type ClaimRow,
} from "./queue-rows";
import type { StoredAttemptEntry } from "@/lib/deliveries/schemas";

/** NOTIFY channel that wakes workers when deliveries are queued. */
export const DELIVERY_CHANNEL = "wc_deliveries";

let notifying: Promise<void> | null = null;
let notifyAgain = false;

/**
 * Workers of this process (and this copy of the module) are woken directly, without the NOTIFY's
 * round trips; the NOTIFY carries this tag so they can ignore their own. Per module copy, not per
 * process: Next's bundle has its own copy, whose wake-ups reach workers only by NOTIFY.
 */
export const WAKE_TAG = randomId(12);
const localWakers = new Set<() => void>();

/** Calls `wake` whenever this module queues deliveries; returns the unsubscribe. */
export function onLocalWake(wake: () => void) {
  localWakers.add(wake);
  return () => void localWakers.delete(wake);
}

/** Requests in flight at once per hook and per origin in one engine. */
export type RequestCaps = { hook: number; host: number };

/** Wakes this module's own workers only (a delivery thread woken by its process's main thread). */
export function wakeLocalWorkers() {
  for (const wake of localWakers) wake();
}

/**
 * Wakes every listening worker. Sent after the inserting transaction commits, not inside it: a
 * transaction that NOTIFYs holds a global lock through its commit, which serializes concurrent
 * ingests (measured: ~400 vs ~2,700 inserts/s). Calls coalesce: at most one NOTIFY in flight, plus
 * one more for rows committed meanwhile. A NOTIFY lost to a crash only costs the workers' safety
 * poll interval.
 */
export function wakeWorkers() {
  wakeLocalWorkers();
  // Workers of this process were just woken; a NOTIFY (a statement, and a signal to every
  // listening session) is only for other processes' workers.
  if (localWakers.size > 0 && !othersMayListen()) {
    wakeCounts.skipped++;
    return;
  }
  wakeCounts.notified++;
  if (notifying) {
    notifyAgain = true;
    return;
  }
  notifying = (async () => {
    do {
      notifyAgain = false;
      await query(`SELECT pg_notify($1, $2)`, [DELIVERY_CHANNEL, WAKE_TAG], "wc_notify");
    } while (notifyAgain);
  })()
    .catch((error: unknown) => logger("deliveries").error({ err: error }, "NOTIFY failed; workers will find the work on their next poll"))
    .finally(() => {
      notifying = null;
    });
}

/** Older versions named their listeners this, with no tag. */
const LISTENER_PREFIX = `webhook-console listen ${DELIVERY_CHANNEL}`;
/**
 * The application_name of a worker's listening session: the tag of the process it runs in (its
 * main thread's WAKE_TAG), so a process can tell its own listeners from other processes'.
 */
export const listenerName = (processTag: string) => `${LISTENER_PREFIX} ${processTag}`;

/** NOTIFYs sent and left out (no other process listening) by wakeWorkers: for tests and bench notes. */
export const wakeCounts = { notified: 0, skipped: 0 };

/** How long an answer to "does another process listen?" is used before it is asked again. */
const LISTENERS_TTL_MS = 1_000;
const listeners = { others: true, checkedAt: 0, checking: false };

/**
 * Whether a session of another process (or of an older version, whose listener carries no tag)
 * listens on the channel, from pg_stat_activity, asked at most once a second in the background.
 * Unknown, older than twice that, or this process's own listener not found under its name (a
 * DATABASE_URL that sets application_name renames every session): yes. So a worker that started
 * elsewhere is told within a second or two, and finds work by its safety poll meanwhile.
 */
function othersMayListen() {
  const age = Date.now() - listeners.checkedAt;
  if (age >= LISTENERS_TTL_MS && !listeners.checking) {
    listeners.checking = true;
    void query(
      `SELECT bool_or(application_name = $2) AS mine, bool_or(application_name LIKE $1 AND application_name <> $2) AS others
         FROM pg_stat_activity WHERE datname = current_database()`,
      [`${LISTENER_PREFIX}%`, listenerName(WAKE_TAG)],
      "wc_other_listeners",
    )
      .then((rows) => {
        const seen = rowsOf(otherListenersRowSchema, rows, "the other listeners")[0];
        listeners.others = seen?.mine !== true || seen.others !== false;
        listeners.checkedAt = Date.now();
      })
      .catch(() => {
        listeners.others = true;
      })
      .finally(() => {
        listeners.checking = false;
      });
  }
  return listeners.others || age >= 2 * LISTENERS_TTL_MS;
}

/** Forgets what othersMayListen learned (tests that start and stop listeners). */
export function forgetListeners() {
  listeners.others = true;
  listeners.checkedAt = 0;
}

/** Isolation and breaker settings (README: "Endpoint health"); tests pass their own. */
export type QueuePolicy = {
  hookConcurrency: number;
  hostConcurrency: number;
  breakerThreshold: number;
  cooldownMs: number;
  cooldownMaxMs: number;
  autoDisableMs: number;
};

export function queuePolicy(): QueuePolicy {
  const env = appContext().config;
  return {
    hookConcurrency: env.DELIVERY_HOOK_CONCURRENCY,
    hostConcurrency: env.DELIVERY_HOST_CONCURRENCY,
    breakerThreshold: env.DELIVERY_BREAKER_THRESHOLD,
    cooldownMs: env.DELIVERY_BREAKER_COOLDOWN_MS,
    cooldownMaxMs: env.DELIVERY_BREAKER_COOLDOWN_MAX_MS,
    autoDisableMs: env.DELIVERY_AUTO_DISABLE_HOURS * 3_600_000,
  };
}

/** "3 days", "5 h", "20 min", "2 s": the auto-disable period in a disabled hook's reason. */
export function describePeriod(ms: number) {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1_000, "second"],
  ];
  for (const [size, name] of units) {
    if (ms >= size * (name === "day" ? 2 : 1)) {
      const count = Math.round(ms / size);
      return `${count} ${name}${count === 1 ? "" : "s"}`;
    }
  }
  return `${ms} ms`;
}

/** Serializes claims across processes (pg_advisory_xact_lock key). */
const CLAIM_LOCK = ADVISORY_LOCKS.claim;

/** One entry of Delivery.attemptLog, the shape lib/deliveries reads back. */
export type AttemptLogEntry = StoredAttemptEntry;

export type ClaimedDelivery = {
  id: string;
  hookId: string;
  event: string;
  requestBody: string;
  /** Including the attempt this claim starts. */
  attempts: number;
  /** Of `attempts`, those whose claimant's lease ran out mid-attempt (it crashed or hung). */
  interruptions: number;
  /** Of `attempts`, probes of an open circuit (this one included when `probe`). */
  probes: number;
  /** The hook's circuit is open and this attempt is its probe. */
  probe: boolean;
  /** At claim time the hook had failures in a row (or an open circuit): a success must reset them. */
  hookUnwell: boolean;
  /** Set when the previous claimant's lease ran out mid-attempt. */
  lostLeaseUntil: Date | null;
  /** When the delivery was queued (with its event): event-to-first-attempt latency. */
  createdAt: Date;
  /** With `lostLeaseUntil`: entries in the attempt log, so the lost attempts can be logged. */
  loggedAttempts: number;
  hook: {
    url: string;
    /** Ours and the hook's custom headers (lib/delivery/headers.ts), without the signatures. */
    headers: Readonly<Record<string, string>>;
    enabled: boolean;
    /** Logto's `config.retries`: the hook's retry budget (null: the default). */
    retries: number | null;
    signingKey: string;
    previousSigningKey: string | null;
    previousKeyExpiresAt: Date | null;
  };
};

export type Claim = {
  rows: ClaimedDelivery[];
  /** Due rows were left because their hook or host was at its cap: claim again when a slot frees. */
  capped: boolean;
};

// Everything a claim reads and writes is the narrow queue ("DeliveryQueue", one row per pending
// delivery); the wide log row is only read (its body), by primary key.
// Hooks with claimable rows: a loose index scan of DeliveryQueue_ready_idx (not leased; one probe
// per hook, however long its backlog), plus hooks with leases. Leases come from
// DeliveryQueue_lease_idx: per hook, attempts in flight and whether one ran out. Neither index
// holds the rows in flight among the claimable ones, so a claim never walks past them. For each
// hook its room: the cap minus its attempts in flight, or for an open circuit one probe when due
// and nothing is in flight.
export const CLAIM_SQL = `
WITH RECURSIVE ready_hooks AS (
  (SELECT "hookId" AS id FROM "DeliveryQueue" WHERE "leaseOwner" IS NULL ORDER BY "hookId" LIMIT 1)
  UNION ALL
  SELECT (SELECT q."hookId" FROM "DeliveryQueue" q WHERE q."leaseOwner" IS NULL AND q."hookId" > p.id ORDER BY q."hookId" LIMIT 1)
  FROM ready_hooks p WHERE p.id IS NOT NULL
),
leases AS (
  SELECT l."hookId", (count(*) FILTER (WHERE l."leaseUntil" > now()))::int AS n, bool_or(l."leaseUntil" <= now()) AS expired
  FROM "DeliveryQueue" l WHERE l."leaseOwner" IS NOT NULL GROUP BY l."hookId"
),
-- Hooks with leases count towards their origin's cap even when they have nothing to claim.
pending_hooks AS (
  SELECT id FROM ready_hooks WHERE id IS NOT NULL
  UNION
  SELECT "hookId" FROM leases
),
-- This worker's own requests (and hand-overs it has reserved) per hook and per origin.
mine AS (SELECT * FROM json_to_recordset($6::json) AS m(key text, n int)),
hooks AS (
  SELECT h.id, COALESCE(substring(h.url from '^[^:/]+://[^/?#]+'), h.url) AS origin, COALESCE(i.n, 0) AS busy,
         COALESCE(i.expired, false) AS expired,
         hh."openedAt" IS NOT NULL AS probing,
         COALESCE(hh."consecutiveFailures" > 0 OR hh."openedAt" IS NOT NULL, false) AS unwell,
         CASE WHEN hh."openedAt" IS NULL
              THEN GREATEST(LEAST($4::int - COALESCE(i.n, 0), $7::int - COALESCE((SELECT m.n FROM mine m WHERE m.key = h.id), 0)), 0)
              WHEN h.enabled AND hh."nextProbeAt" <= now() AND COALESCE(i.n, 0) = 0 THEN 1
              ELSE 0 END AS room
  FROM pending_hooks p
  JOIN "Hook" h ON h.id = p.id
  LEFT JOIN "HookHealth" hh ON hh."hookId" = h.id
  LEFT JOIN leases i ON i."hookId" = h.id
),
host_busy AS (SELECT origin, sum(busy)::int AS busy FROM hooks GROUP BY origin),
candidates AS (
  SELECT c.id, c.due, c.rank, h.origin, h.probing, h.unwell, c.rank > h.room AS over
  FROM hooks h
  CROSS JOIN LATERAL (
    -- Index order (hookId, nextAttemptAt): the scan stops after LIMIT rows, however long the backlog.
    -- No claim takes more than $1 rows; one more than the room tells a capped hook apart.
    SELECT x.id, x.due, row_number() OVER (ORDER BY x.due) AS rank
    FROM (
      (SELECT q.id, q."nextAttemptAt" AS due FROM "DeliveryQueue" q
        WHERE q."hookId" = h.id AND q."leaseOwner" IS NULL AND q."nextAttemptAt" <= now()
        ORDER BY q."nextAttemptAt"
        LIMIT CASE WHEN h.probing THEN h.room ELSE LEAST(h.room, $1::int) + 1 END)
      UNION ALL
      (SELECT q.id, q."nextAttemptAt" AS due FROM "DeliveryQueue" q
        WHERE h.expired AND q."hookId" = h.id AND q."leaseOwner" IS NOT NULL AND q."leaseUntil" <= now()
        ORDER BY q."leaseUntil"
        LIMIT CASE WHEN h.probing THEN h.room ELSE LEAST(h.room, $1::int) + 1 END)
    ) x
    ORDER BY x.due
    LIMIT CASE WHEN h.probing THEN h.room ELSE LEAST(h.room, $1::int) + 1 END
  ) c
),
ranked AS (
  SELECT c.*, row_number() OVER (PARTITION BY c.origin ORDER BY c.rank, c.due) AS host_rank
  FROM candidates c WHERE NOT c.over
),
allowed AS (
  SELECT r.*, r.host_rank <= LEAST($5::int - hb.busy, $8::int - COALESCE((SELECT m.n FROM mine m WHERE m.key = r.origin), 0)) AS fits
  FROM ranked r JOIN host_busy hb ON hb.origin = r.origin
),
picked AS (SELECT id, probing, unwell FROM allowed WHERE fits ORDER BY rank, due LIMIT $1::int),
-- From here on rows are found by primary key (= ANY of an array), whatever the planner guesses: it
-- expects thousands of candidates (the LIMIT CASE above) and hash-joined them against sequential
-- scans of the queue and the log (7 ms a claim under a backlog of 60,000: bench/NOTES.md).
locked AS (
  SELECT q.id, q."leaseOwner" AS prev_owner, q."leaseUntil" AS prev_lease_until, p.probing, p.unwell
  FROM "DeliveryQueue" q JOIN picked p ON p.id = q.id
  WHERE q.id = ANY (ARRAY(SELECT id FROM picked)) AND (q."leaseOwner" IS NULL OR q."leaseUntil" <= now())
  FOR UPDATE OF q SKIP LOCKED
),
claimed AS (
  UPDATE "DeliveryQueue" q
  SET attempts = q.attempts + 1,
      interruptions = q.interruptions + CASE WHEN l.prev_owner IS NULL THEN 0 ELSE 1 END,
      probes = q.probes + CASE WHEN l.probing THEN 1 ELSE 0 END,
      "leaseOwner" = $2,
      "leaseUntil" = now() + $3::int * interval '1 millisecond'
  FROM locked l
  WHERE q.id = ANY (ARRAY(SELECT id FROM locked)) AND q.id = l.id
  RETURNING q.id, q."hookId", q.attempts, q.interruptions, q.probes, l.probing, l.unwell, l.prev_owner, l.prev_lease_until
)
SELECT c.id::text AS id, c."hookId", d.event, d."requestBody", c.attempts, c.interruptions, c.probes, d."createdAt",
       c.probing AS probe, c.unwell AS "hookUnwell", c.prev_owner AS "prevOwner", c.prev_lease_until AS "prevLeaseUntil",
       CASE WHEN c.prev_owner IS NOT NULL THEN jsonb_array_length(d."attemptLog") END::int AS logged,
       h.url, h.headers::text AS headers, h.enabled, h.retries, h."signingKey", h."previousSigningKey", h."previousKeyExpiresAt",
       (EXISTS (SELECT 1 FROM candidates WHERE over) OR EXISTS (SELECT 1 FROM allowed WHERE NOT fits)) AS more
FROM (SELECT 1) one
LEFT JOIN (claimed c JOIN "Delivery" d ON d.id = c.id AND d.id = ANY (ARRAY(SELECT id FROM claimed)) JOIN "Hook" h ON h.id = c."hookId") ON true`;

const quietClients = new WeakSet<object>();

/**
 * A lease covers an attempt's request and then the write of its result, which under a backlog
 * takes as long as the request or longer (grouped writes). So the caps are two-fold: requests at
 * once, per process (`mine`: the engine's own count), at most `hookConcurrency` per hook and
 * `hostConcurrency` per origin; leases, over all processes (the database), at most this many
 * times those. With leases capped at the request cap, a busy hook's requests waited on writes;
 * at twice the cap they still did whenever the grouped writes took longer than the requests (one
 * fast endpoint: 45 of 64 requests in flight on average, every lease taken; four times: bench/NOTES.md).
 */
export const LEASES_PER_REQUEST_SLOT = 4;

/** A hook's endpoint origin as the claim groups hooks by it (the same pattern as CLAIM_SQL's). */
export const originOf = (url: string) => /^[^:/]+:\/\/[^/?#]+/.exec(url)?.[0] ?? url;

/** This process's requests in flight (and reserved hand-overs) by hook id and by origin. */
export type LocalLoad = { key: string; n: number }[];

export async function claimDue(
  owner: string,
  limit: number,
  leaseMs: number,
  local: LocalLoad = [],
  policy: QueuePolicy = queuePolicy(),
  /** This engine's own request caps (below the policy's when a process runs several engines). */
  requestCaps: RequestCaps = { hook: policy.hookConcurrency, host: policy.hostConcurrency },
): Promise<Claim> {
  if (limit <= 0) return { rows: [], capped: false };
  const client = await pool().connect();
  // A checked-out client whose server goes away (a restart) emits "error"; unheard, it would
  // crash the worker. The failed query rejects too, and that is what the caller handles.
  if (!quietClients.has(client)) {
    quietClients.add(client);
    client.on("error", () => {});
  }
  let rows: ClaimAnswerRow[];
  try {
    // One round trip for both (simple protocol); the claim then runs with a snapshot taken after
    // the lock, so it sees every lease committed by the previous claimant.
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`);
    rows = rowsOf(
      claimRowSchema,
      (
        await client.query({
          text: CLAIM_SQL,
          values: [
            limit,
            owner,
            leaseMs,
            policy.hookConcurrency * LEASES_PER_REQUEST_SLOT,
            policy.hostConcurrency * LEASES_PER_REQUEST_SLOT,
            JSON.stringify(local),
            requestCaps.hook,
            requestCaps.host,
          ],
          name: "wc_claim_queue",
        })
      ).rows,
      "the claim",
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  client.release();
  const capped = rows[0]?.more ?? false;
  return { capped, rows: rows.filter((row) => row.id !== null).map(toClaimed) };
}

function toClaimed(row: ClaimRow): ClaimedDelivery {
  return {
    id: row.id,
    hookId: row.hookId,
    event: row.event,
    requestBody: row.requestBody,
    attempts: row.attempts,
    interruptions: row.interruptions,
    probes: row.probes,
    probe: row.probe,
    hookUnwell: row.hookUnwell,
    lostLeaseUntil: row.prevOwner ? row.prevLeaseUntil : null,
    createdAt: row.createdAt,
    loggedAttempts: row.logged ?? 0,
    hook: openSigningKeys({
      url: row.url,
      headers: storedRequestHeaders(row.headers),
      enabled: row.enabled,
      retries: row.retries,
      signingKey: row.signingKey,
      previousSigningKey: row.previousSigningKey,
      previousKeyExpiresAt: row.previousKeyExpiresAt,
    }),
  };
}

export type AttemptRecord = {
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  /** For a retry: when it becomes due. */
  delayMs: number;
  error: string | null;
  entries: AttemptLogEntry[];
};

/** What the attempt said about its endpoint, for the hook's circuit (see state.ts). */
/** `unwell`: the claim saw failures for the hook, so a success has a run of failures to reset. */
export type EndpointReport = { hookId: string; probe: boolean; unwell: boolean; signal: EndpointSignal };

/** `handOverLeaseMs`: the writer asks for its hook's next due row in the same statement (see HAND_OVER_SQL). */
type AttemptWrite = {
  owner: string;
  id: string;
  record: AttemptRecord;
  outcome: SendOutcome | null;
  endpoint: EndpointReport;
  handOverLeaseMs: number | null;
};

/** What a write did: whether the lease guard let it through, and the row handed over to the writer, if any. */
export type AttemptWritten = { updated: boolean; next: ClaimedDelivery | null };

/**
 * Per hook, what a group of attempts (in the order they ended) did to its run of failures:
 * `reset` when one of them reached the endpoint (the run restarts after the last such one),
 * `failures` after that, whether a probe failed (the cooldown grows) and the last error.
 */
export function summarizeEndpoints(writes: { endpoint: EndpointReport; error: string | null }[]) {
  const byHook = new Map<string, { hook_id: string; reset: boolean; failures: number; probe_failed: boolean; error: string | null }>();
  for (const { endpoint, error } of writes) {
    if (endpoint.signal === null) continue;
    const entry = byHook.get(endpoint.hookId) ?? { hook_id: endpoint.hookId, reset: false, failures: 0, probe_failed: false, error: null };
    if (endpoint.signal === "up") {
      // Nothing to reset on a hook that was healthy when claimed: its writes skip the breaker.
      entry.reset = entry.reset || endpoint.unwell || entry.failures > 0;
      entry.failures = 0;
      entry.probe_failed = false;
    } else {
      entry.failures++;
      entry.error = error;
      if (endpoint.probe) entry.probe_failed = true;
    }
    byHook.set(endpoint.hookId, entry);
  }
  return [...byHook.values()];
}

// The circuit breaker's transitions, applied with the attempts' write in the same statement:
//   closed, failures reach the threshold          → open, probe after the first cooldown
//   open, a probe fails                           → cooldown doubles (up to the cap), next probe then
//   open longer than the auto-disable period, probe fails → the hook is disabled with a reason
//   any answer from the endpoint (2xx-4xx)        → closed, failures 0 (held rows flow again)
// A hook that has never failed has no HookHealth row; a success costs one index probe.
const HEALTH_SQL = `
s AS (SELECT * FROM json_to_recordset($3::json) AS s(hook_id text, reset boolean, failures int, probe_failed boolean, error text)),
-- Concurrent writes (other workers') touch the same hooks' rows: locked in one order, by hook id,
-- before any is updated. Updated in whatever order the join produced, two writes deadlocked
-- (fault scenario 3: a whole batch failed and its leases ran out under answered attempts).
health_locked AS MATERIALIZED (
  SELECT hh."hookId" FROM "HookHealth" hh WHERE hh."hookId" IN (SELECT hook_id FROM s) ORDER BY hh."hookId" FOR UPDATE
),
healthy AS (
  UPDATE "HookHealth" hh
  SET "consecutiveFailures" = 0, "failingSince" = NULL, "openedAt" = NULL, "nextProbeAt" = NULL, "cooldownMs" = NULL
  FROM s
  WHERE (SELECT count(*) FROM health_locked) >= 0
    AND s.reset AND s.failures = 0 AND hh."hookId" = s.hook_id AND (hh."consecutiveFailures" > 0 OR hh."openedAt" IS NOT NULL)
  RETURNING hh."hookId"
),
failing_known AS (
  UPDATE "HookHealth" hh
  SET "consecutiveFailures" = CASE WHEN s.reset THEN s.failures ELSE hh."consecutiveFailures" + s.failures END,
      "failingSince" = CASE WHEN s.reset THEN now() ELSE COALESCE(hh."failingSince", now()) END,
      "lastError" = s.error,
      "lastFailureAt" = now(),
      "openedAt" = CASE WHEN (NOT s.reset AND hh."openedAt" IS NOT NULL) THEN hh."openedAt" WHEN CASE WHEN s.reset THEN s.failures ELSE hh."consecutiveFailures" + s.failures END >= $4::int THEN now() END,
      "cooldownMs" = CASE WHEN (NOT s.reset AND hh."openedAt" IS NOT NULL) THEN CASE WHEN s.probe_failed THEN LEAST(COALESCE(hh."cooldownMs", $5::int) * 2, $6::int) ELSE hh."cooldownMs" END
                          WHEN CASE WHEN s.reset THEN s.failures ELSE hh."consecutiveFailures" + s.failures END >= $4::int THEN $5::int END,
      "nextProbeAt" = CASE WHEN (NOT s.reset AND hh."openedAt" IS NOT NULL) THEN CASE WHEN s.probe_failed THEN now() + LEAST(COALESCE(hh."cooldownMs", $5::int) * 2, $6::int) * interval '1 millisecond' ELSE hh."nextProbeAt" END
                           WHEN CASE WHEN s.reset THEN s.failures ELSE hh."consecutiveFailures" + s.failures END >= $4::int THEN now() + $5::int * interval '1 millisecond' END
  FROM s
  WHERE (SELECT count(*) FROM health_locked) >= 0 AND s.failures > 0 AND hh."hookId" = s.hook_id
  RETURNING hh."hookId", hh."openedAt", hh."lastError", s.probe_failed
),
failing_new AS (
  INSERT INTO "HookHealth" ("hookId", "consecutiveFailures", "failingSince", "lastError", "lastFailureAt", "openedAt", "nextProbeAt", "cooldownMs")
  SELECT s.hook_id, s.failures, now(), s.error, now(),
         CASE WHEN s.failures >= $4::int THEN now() END,
         CASE WHEN s.failures >= $4::int THEN now() + $5::int * interval '1 millisecond' END,
         CASE WHEN s.failures >= $4::int THEN $5::int END
  FROM s JOIN "Hook" h ON h.id = s.hook_id
  WHERE s.failures > 0 AND NOT EXISTS (SELECT 1 FROM "HookHealth" x WHERE x."hookId" = s.hook_id)
  ORDER BY s.hook_id
  ON CONFLICT ("hookId") DO NOTHING
  RETURNING "hookId"
),
disabled AS (
  UPDATE "Hook" h
  SET enabled = false, "disabledAt" = now(),
      "disabledReason" = 'Disabled automatically: its endpoint kept failing for ' || $8::text || ' (last error: ' || COALESCE(f."lastError", 'unknown') || ').'
  FROM failing_known f
  WHERE h.id = f."hookId" AND h.enabled AND f.probe_failed AND f."openedAt" <= now() - $7::bigint * interval '1 millisecond'
  RETURNING h.id
)`;

// The hand-over: a worker whose attempt of a healthy hook settled takes that hook's next due row
// in the same statement, so that under a backlog no claim statement runs at all (the claim, with
// its fairness and caps, was most of PostgreSQL's time per delivery: bench/NOTES.md). The lease
// count of the hook cannot grow: each settled lease (guard passed) hands over to at most one
// unleased due row of its own hook, oldest first, SKIP LOCKED as in the claim. Hooks whose circuit
// is open are left to the claim (held rows, probes), as is every hook with a failure in the batch.
// Which workers ask (free slots, not stopping) is the engine's decision (worker.ts).
const HAND_OVER_SQL = `
wants AS (
  SELECT r.id AS pred, r.owner, r.hook_id, r.hand_over_ms, row_number() OVER (ORDER BY r.hook_id, r.id) AS g
  FROM r JOIN settled s ON s.id = r.id
  WHERE r.hand_over_ms IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "HookHealth" hh WHERE hh."hookId" = r.hook_id AND hh."openedAt" IS NOT NULL)
),
-- Wants are numbered across hooks (g); a hook's k next rows take its numbers base .. base + k - 1,
-- so each row pairs with one want on one key.
want_hooks AS (SELECT hook_id, count(*)::int AS k, min(g) AS base FROM wants GROUP BY hook_id),
next_due AS (
  SELECT w.base + row_number() OVER (PARTITION BY w.hook_id ORDER BY x.due, x.id) - 1 AS g, x.id
  FROM want_hooks w
  CROSS JOIN LATERAL (
    SELECT q.id, q."nextAttemptAt" AS due FROM "DeliveryQueue" q
    WHERE q."hookId" = w.hook_id AND q."leaseOwner" IS NULL AND q."nextAttemptAt" <= now()
    ORDER BY q."nextAttemptAt"
    LIMIT w.k
    FOR UPDATE OF q SKIP LOCKED
  ) x
),
handed AS (
  UPDATE "DeliveryQueue" q
  SET attempts = q.attempts + 1, "leaseOwner" = w.owner, "leaseUntil" = now() + w.hand_over_ms * interval '1 millisecond'
  FROM next_due n JOIN wants w ON w.g = n.g
  WHERE q.id = n.id
  RETURNING q.id, q."hookId", q.attempts, q.interruptions, q.probes, w.pred
)`;

// One row per written attempt (next_id null), plus one per row handed over (id: the attempt it
// follows). A join of the two instead made the planner, which expects one row from each CTE,
// look up every handed-over row once per written one.
const WRITTEN_SQL = `
SELECT u.id, NULL AS next_id, NULL AS "hookId", NULL AS event, NULL AS "requestBody", NULL::int AS attempts,
       NULL::int AS interruptions, NULL::int AS probes, NULL::timestamptz AS "createdAt", NULL AS url, NULL::text AS headers,
       NULL::boolean AS enabled, NULL::int AS retries, NULL AS "signingKey", NULL AS "previousSigningKey",
       NULL::timestamptz AS "previousKeyExpiresAt"
FROM updated u
UNION ALL
SELECT hd.pred::text, hd.id::text, hd."hookId", d.event, d."requestBody", hd.attempts, hd.interruptions, hd.probes,
       d."createdAt", h.url, h.headers::text, h.enabled, h.retries, h."signingKey", h."previousSigningKey", h."previousKeyExpiresAt"
FROM handed hd JOIN "Delivery" d ON d.id = hd.id JOIN "Hook" h ON h.id = hd."hookId"`;

async function writeAttempts(writes: AttemptWrite[], policy: QueuePolicy = queuePolicy()): Promise<AttemptWritten[]> {
  const health = summarizeEndpoints(writes.map((write) => ({ endpoint: write.endpoint, error: write.record.error })));
  // A hook with a failure (or a run of them to reset) in this batch hands nothing over.
  const unwell = new Set(health.filter((entry) => entry.failures > 0 || entry.reset).map((entry) => entry.hook_id));
  const rows = writes.map(({ owner, id, record, outcome, endpoint, handOverLeaseMs }) => ({
    id,
    owner,
    hook_id: endpoint.hookId,
    hand_over_ms: handOverLeaseMs !== null && !unwell.has(endpoint.hookId) ? handOverLeaseMs : null,
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
  // Attempts that only reached healthy hooks skip the breaker's part (a separate, smaller plan).
  // The queue row goes with a final result, or is due again (lease cleared) with a retry; either
  // way only the lease's holder may write (`leaseOwner`), and the log row takes the counters.
  const attemptsSql = `r AS (
    SELECT * FROM json_to_recordset($1::json) AS r(
      id uuid, owner text, hook_id text, hand_over_ms int, status text, attempts int, delay_ms int, final boolean, error text, entries jsonb,
      has_outcome boolean, request_url text, request_headers jsonb, response_status int, response_headers jsonb,
      response_body text, duration_ms int)
  ),
  -- The log rows are locked before their queue rows, as a delivery's deletion (a hook deleted, its
  -- rows cascading) locks them: the other order deadlocked against such a delete. The InitPlan
  -- below runs once, before the first queue row is touched.
  logged AS MATERIALIZED (SELECT d.id FROM "Delivery" d WHERE d.id = ANY ($2::uuid[]) FOR UPDATE),
  finished AS (
    DELETE FROM "DeliveryQueue" q USING r
    WHERE (SELECT count(*) FROM logged) >= 0
      AND q.id = ANY ($2::uuid[]) AND q.id = r.id AND q."leaseOwner" = r.owner AND r.final
    RETURNING q.id, q.interruptions, q.probes
  ),
  retried AS (
    UPDATE "DeliveryQueue" q
    SET "nextAttemptAt" = now() + r.delay_ms * interval '1 millisecond', "leaseOwner" = NULL, "leaseUntil" = NULL, attempts = r.attempts
    FROM r
    WHERE (SELECT count(*) FROM logged) >= 0
      AND q.id = ANY ($2::uuid[]) AND q.id = r.id AND q."leaseOwner" = r.owner AND NOT r.final
    RETURNING q.id, q.interruptions, q.probes, q."nextAttemptAt"
  ),
  settled AS (
    SELECT id, interruptions, probes, NULL::timestamptz AS next_at FROM finished
    UNION ALL SELECT id, interruptions, probes, "nextAttemptAt" FROM retried
  ),
  updated AS (
    UPDATE "Delivery" d
    SET status = r.status::"DeliveryStatus",
        attempts = r.attempts,
        interruptions = s.interruptions,
        probes = s.probes,
        "nextAttemptAt" = COALESCE(s.next_at, d."nextAttemptAt"),
        error = r.error,
        "attemptLog" = d."attemptLog" || r.entries,
        "completedAt" = CASE WHEN r.final THEN now() END,
        "requestUrl" = CASE WHEN r.has_outcome THEN r.request_url ELSE d."requestUrl" END,
        "requestHeaders" = CASE WHEN r.has_outcome THEN r.request_headers ELSE d."requestHeaders" END,
        "responseStatus" = CASE WHEN r.has_outcome THEN r.response_status ELSE d."responseStatus" END,
        "responseHeaders" = CASE WHEN r.has_outcome THEN r.response_headers ELSE d."responseHeaders" END,
        "responseBody" = CASE WHEN r.has_outcome THEN r.response_body ELSE d."responseBody" END,
        "durationMs" = CASE WHEN r.has_outcome THEN r.duration_ms ELSE d."durationMs" END
    FROM r JOIN settled s ON s.id = r.id
    WHERE d.id = ANY ($2::uuid[]) AND d.id = r.id
    RETURNING d.id::text AS id
  )`;
  const needsBreaker = health.some((entry) => entry.failures > 0 || entry.reset);
  const written = needsBreaker
    ? await query(
        `WITH ${attemptsSql}, ${HEALTH_SQL}, ${HAND_OVER_SQL} ${WRITTEN_SQL}`,
        [
          JSON.stringify(rows),
          writes.map((write) => write.id),
          JSON.stringify(health),
          policy.breakerThreshold,
          policy.cooldownMs,
          policy.cooldownMaxMs,
          policy.autoDisableMs,
          describePeriod(policy.autoDisableMs),
        ],
        "wc_write_attempts_health",
      )
    : await query(
        `WITH ${attemptsSql}, ${HAND_OVER_SQL} ${WRITTEN_SQL}`,
        [JSON.stringify(rows), writes.map((write) => write.id)],
        "wc_write_attempts",
      );
  const updated = rowsOf(writtenRowSchema, written, "the attempts written");
  const done = new Set<string>();
  const handed = new Map<string, ClaimedDelivery>();
  for (const row of updated) {
    if (row.next_id === null) done.add(row.id);
    else
      handed.set(
        row.id,
        toClaimed({
          ...row,
          id: row.next_id,
          probe: false,
          hookUnwell: false,
          prevOwner: null,
          prevLeaseUntil: null,
          logged: null,
          more: false,
        }),
      );
  }
  return writes.map((write) => ({ updated: done.has(write.id), next: handed.get(write.id) ?? null }));
}

// Attempts finishing together are written by one statement (see createBatcher).

async function writeAttemptsRetrying(writes: AttemptWrite[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeAttempts(writes);
    } catch (error) {
      // Given up, the batch's leases would run out under answered attempts and be sent again.
      if (attempt >= 3 || !isRetryableDbError(error)) throw error;
      logger("deliveries").warn({ err: error, attempt }, "attempt write failed; running it again");
    }
  }
}

// Two statements in flight: with the hand-over a write is on the path by which a hook's slots
// come back, and fewer, larger statements cost less per row (drain profile, bench/NOTES.md:
// PostgreSQL 388-462 -> 192-269 us per delivery against 4 in flight; 1 was cheaper still but
// lets one slow statement hold every result).
const attemptWriter = createBatcher(writeAttemptsRetrying, { maxBatch: 200, maxConcurrent: 2 });

/**
 * Writes an attempt into the ONE row of its delivery, and what it said about the endpoint into the
 * hook's circuit. Guarded by the lease: a worker that lost its lease to another one does not
 * overwrite the newer attempt. With `handOverLeaseMs`, the same statement leases the hook's next
 * due row to this owner for that long and returns it (see HAND_OVER_SQL).
 */
export function recordAttempt(
  owner: string,
  id: string,
  record: AttemptRecord,
  outcome: SendOutcome | null,
  endpoint: EndpointReport,
  handOverLeaseMs: number | null = null,
): Promise<AttemptWritten> {
  return attemptWriter({ owner, id, record, outcome, endpoint, handOverLeaseMs });
}

/**
 * Extends this worker's leases on rows whose attempt is still running (its request, or its result
 * waiting for a grouped write), so a lease cannot run out under a live attempt and let a second
 * worker send it again. Only rows this owner still holds are touched; returns how many.
 */
export async function renewLeases(owner: string, ids: string[], leaseMs: number) {
  if (ids.length === 0) return 0;
  const rows = await query(
    `UPDATE "DeliveryQueue" SET "leaseUntil" = clock_timestamp() + $3::int * interval '1 millisecond'
      WHERE id = ANY ($2::uuid[]) AND "leaseOwner" = $1 RETURNING id`,
    [owner, ids, leaseMs],
    "wc_renew_leases",
  );
  return rowsOf(idRowSchema, rows, "the leases renewed").length;
}

/**
 * Hands a claimed row back (graceful shutdown): due now, the started attempt uncounted (and its
 * probe, if it was one). `entries` logs earlier attempts found interrupted when it was claimed,
 * which stay counted.
 */
export async function releaseClaim(owner: string, id: string, entries: AttemptLogEntry[], probe = false) {
  await query(
    `WITH logged AS MATERIALIZED (SELECT id FROM "Delivery" WHERE id = $2::uuid FOR UPDATE),
    q AS (
      UPDATE "DeliveryQueue"
      SET attempts = attempts - 1, probes = probes - $4::int, "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE (SELECT count(*) FROM logged) >= 0 AND "leaseOwner" = $1 AND id = $2::uuid
      RETURNING id, attempts, interruptions, probes
    )
    UPDATE "Delivery" d
    SET attempts = q.attempts, interruptions = q.interruptions, probes = q.probes, "attemptLog" = d."attemptLog" || $3::jsonb
    FROM q WHERE d.id = q.id`,
    [owner, id, JSON.stringify(entries), probe ? 1 : 0],
  );
}

/**
 * Milliseconds until work is next due (0 if overdue), or null when nothing is pending: the oldest
 * unleased row of each hook whose circuit is closed, the next probe of each open one (enabled
 * hooks only), and the earliest lease to run out. Held rows never make a worker poll.
 */
export async function msUntilNextDue(): Promise<number | null> {
  const found = await query(
    `WITH RECURSIVE pending_hooks AS (
      (SELECT "hookId" AS id FROM "DeliveryQueue" WHERE "leaseOwner" IS NULL ORDER BY "hookId" LIMIT 1)
      UNION ALL
      SELECT (SELECT q."hookId" FROM "DeliveryQueue" q WHERE q."leaseOwner" IS NULL AND q."hookId" > p.id ORDER BY q."hookId" LIMIT 1)
      FROM pending_hooks p WHERE p.id IS NOT NULL
    )
    SELECT (extract(epoch FROM (least(
      (SELECT min(CASE WHEN hh."openedAt" IS NULL
                       THEN (SELECT min(q."nextAttemptAt") FROM "DeliveryQueue" q WHERE q."hookId" = h.id AND q."leaseOwner" IS NULL)
                       WHEN h.enabled THEN hh."nextProbeAt" END)
         FROM pending_hooks p JOIN "Hook" h ON h.id = p.id LEFT JOIN "HookHealth" hh ON hh."hookId" = h.id),
      (SELECT min("leaseUntil") FROM "DeliveryQueue" WHERE "leaseOwner" IS NOT NULL)
    ) - now())) * 1000)::float8 AS ms`,
    [],
    "wc_next_due_queue",
  );
  const [row] = rowsOf(nextDueRowSchema, found, "the next due time");
  return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
}

/** Closes a hook's circuit (re-enabled by an admin): its held rows flow again, oldest due first. */
export async function resetCircuit(hookId: string) {
  await query(`DELETE FROM "HookHealth" WHERE "hookId" = $1`, [hookId]);
  wakeWorkers();
}

/** "Retry now": an open circuit's next probe is due at once. Returns whether the circuit was open. */
export async function probeNow(hookId: string) {
  const rows = rowsOf(
    hookIdRowSchema,
    await query(`UPDATE "HookHealth" SET "nextProbeAt" = now() WHERE "hookId" = $1 AND "openedAt" IS NOT NULL RETURNING "hookId"`, [
      hookId,
    ]),
    "the probe made due",
  );
  wakeWorkers();
  return rows.length > 0;
}

/** Pending rows per hook that an open circuit holds (for the hooks given). */
export async function heldCounts(hookIds: string[]): Promise<Map<string, number>> {
  if (hookIds.length === 0) return new Map();
  const rows = rowsOf(
    heldRowSchema,
    await query(
      `SELECT q."hookId", count(*)::int AS held FROM "DeliveryQueue" q
        WHERE q."hookId" = ANY ($1::text[]) AND q."leaseOwner" IS NULL
        GROUP BY q."hookId"`,
      [hookIds],
    ),
    "the held counts",
  );
  return new Map(rows.map((row) => [row.hookId, row.held]));
}
