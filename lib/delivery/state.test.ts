// The delivery state machine's arithmetic (state.ts), one row per case.
import { describe, expect, it } from "vitest";
import type { SendOutcome } from "./http";
import type { RetrySchedule } from "./retry";
import { attemptStep, chargedAttempts, endpointSignal, SKIP_REASONS, type AttemptInput, type AttemptStep } from "./state";

const schedule: RetrySchedule = { delaysMs: [1_000, 5_000, 30_000], jitter: 0, retryAfterCapMs: 60_000 };
const base = { probe: false, hookEnabled: true, schedule, maxInterruptions: 10 };

const outcome = (status: number | null, failure?: SendOutcome["failure"]): SendOutcome =>
  ({
    status,
    failure,
    error: failure ? `${failure} error` : null,
    url: "http://x",
    requestHeaders: {},
    responseHeaders: {},
    responseBody: null,
    durationMs: 1,
  }) as SendOutcome;

type Case = [name: string, input: Partial<AttemptInput> & { attempts: number }, expected: AttemptStep];

const cases: Case[] = [
  // before sending
  ["fresh row: send as attempt 1", { attempts: 1 }, { kind: "send", position: 1 }],
  ["after one interruption: still attempt 1 of the budget", { attempts: 2, interruptions: 1 }, { kind: "send", position: 1 }],
  ["a probe of a fresh (held) row is not charged", { attempts: 1, probes: 1, probe: true }, { kind: "send", position: 0 }],
  ["a probe after 2 charged attempts", { attempts: 5, probes: 3, probe: true }, { kind: "send", position: 2 }],
  ["after probes, a normal attempt continues the budget", { attempts: 6, probes: 3 }, { kind: "send", position: 3 }],
  ["budget used up (5th charged attempt)", { attempts: 5 }, { kind: "skip", attempts: 4, error: SKIP_REASONS.budget }],
  ["too many interruptions", { attempts: 12, interruptions: 11 }, { kind: "skip", attempts: 11, error: SKIP_REASONS.interrupted(11) }],
  ["hook disabled", { attempts: 1, hookEnabled: false }, { kind: "skip", attempts: 0, error: SKIP_REASONS.disabled }],
  // after sending
  [
    "2xx succeeds",
    { attempts: 1, outcome: outcome(200) },
    { kind: "settle", status: "succeeded", delayMs: 0, error: null, endpoint: "up" },
  ],
  [
    "500 on attempt 1: retry after 1 s",
    { attempts: 1, outcome: outcome(500) },
    { kind: "settle", status: "pending", delayMs: 1_000, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "500 on attempt 3: retry after 30 s",
    { attempts: 3, outcome: outcome(500) },
    { kind: "settle", status: "pending", delayMs: 30_000, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "500 on attempt 4: failed",
    { attempts: 4, outcome: outcome(500) },
    { kind: "settle", status: "failed", delayMs: 0, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "500 on the 4th charged attempt after 2 interruptions",
    { attempts: 6, interruptions: 2, outcome: outcome(500) },
    { kind: "settle", status: "failed", delayMs: 0, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "404: failed at once, endpoint up",
    { attempts: 1, outcome: outcome(404) },
    { kind: "settle", status: "failed", delayMs: 0, error: "HTTP 404", endpoint: "up" },
  ],
  [
    "429: retried, endpoint up",
    { attempts: 1, outcome: outcome(429) },
    { kind: "settle", status: "pending", delayMs: 1_000, error: "HTTP 429", endpoint: "up" },
  ],
  [
    "timeout: retried, endpoint down",
    { attempts: 2, outcome: outcome(null, "timeout") },
    { kind: "settle", status: "pending", delayMs: 5_000, error: "timeout error", endpoint: "down" },
  ],
  [
    "network error: retried, endpoint down",
    { attempts: 1, outcome: outcome(null, "network") },
    { kind: "settle", status: "pending", delayMs: 1_000, error: "network error", endpoint: "down" },
  ],
  [
    "failed probe: held again, due at once, budget untouched",
    { attempts: 3, probes: 1, probe: true, outcome: outcome(null, "network") },
    { kind: "settle", status: "pending", delayMs: 0, error: "network error", endpoint: "down" },
  ],
  [
    "failed probe of a row with 3 charged attempts: still held, not failed",
    { attempts: 4, probes: 1, probe: true, outcome: outcome(503) },
    { kind: "settle", status: "pending", delayMs: 0, error: "HTTP 503", endpoint: "down" },
  ],
  [
    "successful probe",
    { attempts: 7, probes: 6, probe: true, outcome: outcome(204) },
    { kind: "settle", status: "succeeded", delayMs: 0, error: null, endpoint: "up" },
  ],
  [
    "probe answered 410: a final answer ends the row",
    { attempts: 2, probes: 1, probe: true, outcome: outcome(410) },
    { kind: "settle", status: "failed", delayMs: 0, error: "HTTP 410", endpoint: "up" },
  ], // The hook's own budget (Logto's config.retries): retries 0 = one attempt, 1 = two attempts.
  [
    "retries 0: a 500 on attempt 1 fails",
    { attempts: 1, hookRetries: 0, outcome: outcome(500) },
    { kind: "settle", status: "failed", delayMs: 0, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "retries 1: a 500 on attempt 1 is retried after 1 s",
    { attempts: 1, hookRetries: 1, outcome: outcome(500) },
    { kind: "settle", status: "pending", delayMs: 1_000, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "retries 1: a 500 on attempt 2 fails",
    { attempts: 2, hookRetries: 1, outcome: outcome(500) },
    { kind: "settle", status: "failed", delayMs: 0, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "retries 1, lowered after 2 attempts: not sent a 3rd time",
    { attempts: 3, hookRetries: 1 },
    { kind: "skip", attempts: 2, error: SKIP_REASONS.budget },
  ],
  [
    "retries 3 (or null): the full schedule",
    { attempts: 3, hookRetries: 3, outcome: outcome(500) },
    { kind: "settle", status: "pending", delayMs: 30_000, error: "HTTP 500", endpoint: "down" },
  ],
  [
    "retries 0: a probe still goes out (an open circuit's probe is not charged)",
    { attempts: 2, probes: 1, probe: true, hookRetries: 0 },
    { kind: "send", position: 1 },
  ],
];

describe("attemptStep", () => {
  it.each(cases)("%s", (_name, input, expected) => {
    expect(attemptStep({ ...base, interruptions: 0, probes: 0, ...input })).toEqual(expected);
  });

  it("charges attempts minus interruptions and probes", () => {
    expect(chargedAttempts({ attempts: 9, interruptions: 2, probes: 4 })).toBe(3);
  });

  it("an aborted send says nothing about the endpoint", () => {
    expect(endpointSignal(outcome(null, "aborted"))).toBeNull();
  });
});
