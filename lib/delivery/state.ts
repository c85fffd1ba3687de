// The delivery state machine's arithmetic, in one pure function (table-driven test: state.test.ts).
//
//   pending ──claim──► leased (leaseOwner/leaseUntil set; its own state, nextAttemptAt untouched)
//   leased ──2xx──► succeeded · ──retryable, budget left──► pending (nextAttemptAt = retry time)
//   leased ──final answer or budget used──► failed · ──lease expired──► pending again (interrupted)
//   pending, hook's circuit open ──► held: not claimed at all, so nothing is counted or spent
//   held ──probe due (one per hook)──► leased as a probe
//
// What a row counts: `attempts` is every attempt started (and logged). Two kinds are not charged
// to the retry budget: `interruptions` (the worker died or lost its lease mid-attempt) and
// `probes` (the one attempt an open circuit lets through to see whether the endpoint is back).
// A delivery must not use up its retries because a worker crashed or its endpoint was down; what
// is attempted while the endpoint is up still gets at most 4 charged attempts.
import type { SendOutcome } from "./http";
import { decide, isRetryable, isSuccess, maxAttempts, outcomeError, type RetrySchedule } from "./retry";

export type DeliveryCounters = {
  /** Including the attempt the current claim started. */
  attempts: number;
  interruptions: number;
  /** Including the current attempt when it is a probe. */
  probes: number;
};

export type AttemptInput = DeliveryCounters & {
  /** The claim let this attempt through an open circuit. */
  probe: boolean;
  hookEnabled: boolean;
  schedule: RetrySchedule;
  /** The hook's own retry count (Logto's `config.retries`, 0-3); null or absent: the schedule's. */
  hookRetries?: number | null;
  maxInterruptions: number;
  /** Absent: before sending (may it be sent?); present: the sent attempt's outcome. */
  outcome?: SendOutcome;
};

/** How the endpoint behaved, for its circuit: "down" = timeout, network error or 5xx. */
export type EndpointSignal = "up" | "down" | null;

export type AttemptStep =
  /** Not sent: recorded as failed with the started attempt uncounted (`attempts`). */
  | { kind: "skip"; attempts: number; error: string }
  /** Send it; `position` is its place in the retry budget (1-based; 0 for a probe of a fresh row). */
  | { kind: "send"; position: number }
  | { kind: "settle"; status: "succeeded" | "failed" | "pending"; delayMs: number; error: string | null; endpoint: EndpointSignal };

export const SKIP_REASONS = {
  interrupted: (times: number) => `Interrupted ${times} times: every worker sending it stopped before it finished.`,
  budget: "Not sent: earlier attempts used up the retry budget.",
  disabled: "Not sent: the webhook was disabled before this delivery went out.",
} as const;

/** Attempts charged to the retry budget, the current one included unless it is a probe. */
export const chargedAttempts = (counters: DeliveryCounters) => counters.attempts - counters.interruptions - counters.probes;

export function endpointSignal(outcome: SendOutcome): EndpointSignal {
  // Cancelled at shutdown, or refused by our own SSRF guard: neither says anything about the endpoint.
  if (outcome.failure === "aborted" || outcome.failure === "refused") return null;
  if (outcome.failure === "timeout" || outcome.failure === "network") return "down";
  if (outcome.status !== null && outcome.status >= 500) return "down";
  // Any other answer (2xx, 3xx, 4xx, 429) means the endpoint is there and answering.
  return outcome.status === null ? "down" : "up";
}

/** The schedule bounded by a hook's retry count: its first `retries` delays (never more than it has). */
export function hookSchedule(schedule: RetrySchedule, retries: number | null | undefined): RetrySchedule {
  if (retries === null || retries === undefined || retries >= schedule.delaysMs.length) return schedule;
  return { ...schedule, delaysMs: schedule.delaysMs.slice(0, Math.max(0, retries)) };
}

export function attemptStep(input: AttemptInput): AttemptStep {
  const schedule = hookSchedule(input.schedule, input.hookRetries);
  const position = chargedAttempts(input);
  if (input.interruptions > input.maxInterruptions) {
    return { kind: "skip", attempts: input.attempts - 1, error: SKIP_REASONS.interrupted(input.interruptions) };
  }
  if (!input.probe && position > maxAttempts(schedule)) return { kind: "skip", attempts: input.attempts - 1, error: SKIP_REASONS.budget };
  if (!input.hookEnabled) return { kind: "skip", attempts: input.attempts - 1, error: SKIP_REASONS.disabled };
  const { outcome } = input;
  if (!outcome) return { kind: "send", position };

  const endpoint = endpointSignal(outcome);
  if (input.probe) {
    // A probe decides the circuit, not the row's budget: a retryable failure leaves the row held
    // (pending, due at once, first in line for the next probe); a final answer ends it as usual.
    if (isSuccess(outcome)) return { kind: "settle", status: "succeeded", delayMs: 0, error: null, endpoint };
    return { kind: "settle", status: isRetryable(outcome) ? "pending" : "failed", delayMs: 0, error: outcomeError(outcome), endpoint };
  }
  const decision = decide(outcome, position, schedule);
  if (decision.kind === "succeeded") return { kind: "settle", status: "succeeded", delayMs: 0, error: null, endpoint };
  if (decision.kind === "retry") return { kind: "settle", status: "pending", delayMs: decision.delayMs, error: decision.error, endpoint };
  return { kind: "settle", status: "failed", delayMs: 0, error: decision.error, endpoint };
}
