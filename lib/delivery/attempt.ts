// One attempt of one claimed delivery, recorded into its single row.
import { logger } from "@/lib/observability/log";
import { recordAttemptMetrics } from "@/lib/observability/metrics";
import { buildRequestHeaders } from "./headers";
import type { Sender } from "./http";
import { recordAttempt, releaseClaim, type AttemptLogEntry, type ClaimedDelivery, type EndpointReport } from "./queue";
import type { RetrySchedule } from "./retry";
import { attemptStep } from "./state";
import { signatureHeaders } from "./signing";

/**
 * The engine's side of the hand-over (queue.ts HAND_OVER_SQL): `reserve` says whether this worker
 * takes the hook's next due row with this attempt's write (a slot is kept for it), `adopt` gets
 * what the write handed over (null: nothing was due) and settles the reservation.
 */
export type HandOver = {
  leaseMs: number;
  reserve(): boolean;
  adopt(next: ClaimedDelivery | null, leasedAt: number): void;
};

export type AttemptContext = {
  owner: string;
  sender: Sender;
  schedule: RetrySchedule;
  signal?: AbortSignal;
  handOver?: HandOver;
};

/** What became of the row: "lost" when another worker took it over meanwhile (lease expired). */
export type AttemptResult = "succeeded" | "failed" | "pending" | "released" | "lost";

const deliveryLog = logger("delivery");

const INTERRUPTED = "Interrupted: the worker sending this attempt stopped before it finished (its lease expired).";

/**
 * Interrupted attempts are not charged to the retry budget (a crashing worker must not use up a
 * healthy receiver's retries), but a row interrupted this often is taken to crash its workers.
 */
export const MAX_INTERRUPTIONS = 10;

export async function attemptDelivery(row: ClaimedDelivery, context: AttemptContext): Promise<AttemptResult> {
  const { owner, sender, schedule } = context;
  const entries: AttemptLogEntry[] = [];
  // The claim counted this attempt already; a lost earlier attempt stays counted and gets a log
  // entry. Leases lost twice in a row (two workers died holding it) left two attempts unlogged:
  // one entry each, so the log keeps one entry per counted attempt.
  if (row.lostLeaseUntil) {
    const unlogged = row.attempts - 1 - row.loggedAttempts;
    for (let n = 0; n < Math.max(1, unlogged); n++) {
      entries.push({ at: row.lostLeaseUntil.toISOString(), status: null, durationMs: null, error: INTERRUPTED });
    }
  }
  const input = {
    attempts: row.attempts,
    interruptions: row.interruptions,
    probes: row.probes,
    probe: row.probe,
    hookEnabled: row.hook.enabled,
    hookRetries: row.hook.retries,
    schedule,
    maxInterruptions: MAX_INTERRUPTIONS,
  };
  const endpoint = (signal: EndpointReport["signal"]): EndpointReport => ({
    hookId: row.hookId,
    probe: row.probe,
    unwell: row.hookUnwell,
    signal,
  });
  const before = attemptStep(input);
  if (before.kind === "skip") {
    const record = { status: "failed" as const, attempts: before.attempts, delayMs: 0, error: before.error, entries };
    return (await recordAttempt(owner, row.id, record, null, endpoint(null))).updated ? "failed" : "lost";
  }

  const attempt = before.kind === "send" ? before.position : row.attempts;
  // The hook's current URL, headers and keys; the body bytes are the ones stored at creation.
  const at = new Date();
  const headers = buildRequestHeaders(
    row.hook.headers,
    signatureHeaders({ keys: row.hook, messageId: row.id, body: row.requestBody, now: at }),
  );
  const outcome = await sender.send({ url: row.hook.url, headers, body: row.requestBody, signal: context.signal });
  if (outcome.failure === "aborted") {
    await releaseClaim(owner, row.id, entries, row.probe);
    recordAttemptMetrics({ result: "released", attempt, durationMs: null, queuedAt: row.createdAt, startedAt: at });
    return "released";
  }

  const step = attemptStep({ ...input, outcome });
  if (step.kind !== "settle") throw new Error(`Unexpected delivery step ${step.kind} after sending.`);
  const { status, delayMs, error } = step;
  entries.push({
    at: at.toISOString(),
    status: outcome.status,
    durationMs: outcome.durationMs,
    error,
    ...(row.probe ? { probe: true } : {}),
  });
  // Only an attempt its endpoint answered, of a hook that was well and not probing, hands over.
  const handOver = step.endpoint === "up" && !row.probe && !row.hookUnwell && context.handOver?.reserve() ? context.handOver : null;
  const writeAt = performance.now();
  const record = { status, attempts: row.attempts, delayMs, error, entries };
  const written = recordAttempt(owner, row.id, record, outcome, endpoint(step.endpoint), handOver?.leaseMs ?? null);
  // A failed statement handed nothing over (one transaction): the reservation is settled either way.
  const { updated, next } = await written.catch((error: unknown) => {
    handOver?.adopt(null, writeAt);
    throw error;
  });
  handOver?.adopt(next, writeAt);
  const result = updated ? status : "lost";
  recordAttemptMetrics({ result, attempt, durationMs: outcome.durationMs, queuedAt: row.createdAt, startedAt: at });
  // Successes are routine (debug); anything an operator may act on is info. Never the URL: it may hold credentials.
  const level = result === "succeeded" ? "debug" : "info";
  if (!deliveryLog.isLevelEnabled(level)) return result;
  deliveryLog[level](
    {
      hookId: row.hookId,
      deliveryId: row.id,
      event: row.event,
      attempt,
      probe: row.probe,
      status: outcome.status,
      durationMs: outcome.durationMs,
      result,
      ...(error ? { error } : {}),
    },
    "delivery attempt",
  );
  return result;
}
