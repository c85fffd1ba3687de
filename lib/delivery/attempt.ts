// One attempt of one claimed delivery, recorded into its single row.
import { storedHeaderRows } from "@/lib/hooks/schemas";
import { logger } from "@/lib/observability/log";
import { buildRequestHeaders } from "./headers";
import type { Sender } from "./http";
import { recordAttempt, releaseClaim, type AttemptLogEntry, type ClaimedDelivery } from "./queue";
import { decide, maxAttempts, type RetrySchedule } from "./retry";
import { signatureHeaders } from "./signing";

export type AttemptContext = {
  owner: string;
  sender: Sender;
  schedule: RetrySchedule;
  signal?: AbortSignal;
};

/** What became of the row: "lost" when another worker took it over meanwhile (lease expired). */
export type AttemptResult = "succeeded" | "failed" | "pending" | "released" | "lost";

const deliveryLog = logger("delivery");

const INTERRUPTED = "Interrupted: the worker sending this attempt stopped before it finished (its lease expired).";
const DISABLED = "Not sent: the webhook was disabled before this delivery went out.";

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
  const withoutSending = async (error: string) => {
    const record = { status: "failed" as const, attempts: row.attempts - 1, delayMs: 0, error, entries };
    return (await recordAttempt(owner, row.id, record, null)) ? "failed" : "lost";
  };
  // This attempt's place in the retry schedule: interrupted attempts do not count.
  const attempt = row.attempts - row.interruptions;
  if (row.interruptions > MAX_INTERRUPTIONS) {
    return withoutSending(`Interrupted ${row.interruptions} times: every worker sending it stopped before it finished.`);
  }
  if (attempt > maxAttempts(schedule)) return withoutSending("Not sent: earlier attempts used up the retry budget.");
  if (!row.hook.enabled) return withoutSending(DISABLED);

  // The hook's current URL, headers and keys; the body bytes are the ones stored at creation.
  const at = new Date();
  const headers = buildRequestHeaders(
    storedHeaderRows(row.hook.headers),
    signatureHeaders({ keys: row.hook, messageId: row.id, body: row.requestBody, now: at }),
  );
  const outcome = await sender.send({ url: row.hook.url, headers, body: row.requestBody, signal: context.signal });
  if (outcome.failure === "aborted") {
    await releaseClaim(owner, row.id, entries);
    return "released";
  }

  const decision = decide(outcome, attempt, schedule);
  const error = decision.kind === "succeeded" ? null : decision.error;
  entries.push({ at: at.toISOString(), status: outcome.status, durationMs: outcome.durationMs, error });
  const status = decision.kind === "retry" ? "pending" : decision.kind;
  const delayMs = decision.kind === "retry" ? decision.delayMs : 0;
  const updated = await recordAttempt(owner, row.id, { status, attempts: row.attempts, delayMs, error, entries }, outcome);
  const result = updated ? status : "lost";
  // Successes are routine (debug); anything an operator may act on is info. Never the URL: it may hold credentials.
  deliveryLog[result === "succeeded" ? "debug" : "info"](
    { hookId: row.hookId, deliveryId: row.id, event: row.event, attempt, status: outcome.status, durationMs: outcome.durationMs, result, ...(error ? { error } : {}) },
    "delivery attempt",
  );
  return result;
}
