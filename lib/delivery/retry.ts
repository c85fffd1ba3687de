// What an attempt's outcome means: done, retry later, or failed for good.
//   2xx → succeeded. >= 500, 429, timeouts and network errors → retried, at most 3 times
//   (4 attempts), after about 1 s, 5 s, 30 s with jitter, or later when Retry-After asks (capped).
//   Anything else, 3xx included (redirects are not followed), fails at once.
import { at } from "@/lib/assert";
import type { SendOutcome } from "./http";

export type RetrySchedule = {
  /** Delay before retry n (n = 1..length); its length is the number of retries. */
  delaysMs: number[];
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
  /** Retry-After is honoured up to this delay. */
  retryAfterCapMs: number;
  random?: () => number;
};

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  delaysMs: [1_000, 5_000, 30_000],
  jitter: 0.2,
  retryAfterCapMs: 5 * 60_000,
};

export const maxAttempts = (schedule: RetrySchedule) => schedule.delaysMs.length + 1;

export type Decision = { kind: "succeeded" } | { kind: "retry"; delayMs: number; error: string } | { kind: "failed"; error: string };

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A one-line description of a non-2xx outcome, for the log and the console. */
export function outcomeError(outcome: SendOutcome) {
  if (outcome.error) return outcome.error;
  const status = outcome.status ?? 0;
  if (status >= 300 && status < 400) {
    const location = outcome.responseHeaders?.location;
    return `HTTP ${status}: redirects are not followed${location ? ` (Location: ${location})` : ""}.`;
  }
  return `HTTP ${status}`;
}

export const isSuccess = (outcome: SendOutcome) => outcome.status !== null && outcome.status >= 200 && outcome.status < 300;

/** >= 500, 429, timeouts and network errors are worth another attempt; other answers are final. */
export function isRetryable(outcome: SendOutcome) {
  const status = outcome.status;
  return outcome.failure === "timeout" || outcome.failure === "network" || (status !== null && (status >= 500 || status === 429));
}

/** `attempt` is 1-based: the attempt whose outcome this is. */
export function decide(outcome: SendOutcome, attempt: number, schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): Decision {
  if (isSuccess(outcome)) return { kind: "succeeded" };
  const error = outcomeError(outcome);
  if (!isRetryable(outcome) || attempt >= maxAttempts(schedule)) return { kind: "failed", error };

  const base = at(schedule.delaysMs, attempt - 1); // in range: attempt < maxAttempts, checked above
  const random = schedule.random ?? Math.random;
  let delayMs = Math.round(base * (1 - schedule.jitter + 2 * schedule.jitter * random()));
  const asked = parseRetryAfter(outcome.responseHeaders?.["retry-after"]);
  if (asked !== null) delayMs = Math.max(delayMs, Math.min(asked, schedule.retryAfterCapMs));
  return { kind: "retry", delayMs, error };
}
