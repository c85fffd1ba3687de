import { describe, expect, it } from "vitest";
import type { SendOutcome } from "./http";
import { decide, DEFAULT_RETRY_SCHEDULE, maxAttempts, parseRetryAfter, type RetrySchedule } from "./retry";

const outcome = (partial: Partial<SendOutcome>): SendOutcome => ({
  url: "https://example.com/hook",
  requestHeaders: {},
  status: null,
  responseHeaders: {},
  responseBody: null,
  durationMs: 5,
  error: null,
  failure: null,
  ...partial,
});

const noJitter: RetrySchedule = { ...DEFAULT_RETRY_SCHEDULE, jitter: 0 };

describe("retry decisions", () => {
  it("allows 4 attempts with about 1 s, 5 s, 30 s between them", () => {
    expect(maxAttempts(DEFAULT_RETRY_SCHEDULE)).toBe(4);
    const failing = outcome({ status: 500 });
    expect(decide(failing, 1, noJitter)).toEqual({ kind: "retry", delayMs: 1_000, error: "HTTP 500" });
    expect(decide(failing, 2, noJitter)).toMatchObject({ kind: "retry", delayMs: 5_000 });
    expect(decide(failing, 3, noJitter)).toMatchObject({ kind: "retry", delayMs: 30_000 });
    expect(decide(failing, 4, noJitter)).toEqual({ kind: "failed", error: "HTTP 500" });
  });

  it("jitters delays within ±20 %", () => {
    const low = decide(outcome({ status: 503 }), 1, { ...DEFAULT_RETRY_SCHEDULE, random: () => 0 });
    const high = decide(outcome({ status: 503 }), 1, { ...DEFAULT_RETRY_SCHEDULE, random: () => 0.999999 });
    expect(low).toMatchObject({ delayMs: 800 });
    expect(high).toMatchObject({ delayMs: 1_200 });
  });

  it("retries 5xx, 429, timeouts and network errors; fails 3xx and 4xx at once; 2xx succeeds", () => {
    expect(decide(outcome({ status: 204 }), 1).kind).toBe("succeeded");
    expect(decide(outcome({ status: 429 }), 1).kind).toBe("retry");
    expect(decide(outcome({ status: 599 }), 1).kind).toBe("retry");
    expect(decide(outcome({ failure: "timeout", error: "Timed out" }), 1).kind).toBe("retry");
    expect(decide(outcome({ failure: "network", error: "ECONNRESET" }), 1).kind).toBe("retry");
    expect(decide(outcome({ status: 404 }), 1)).toEqual({ kind: "failed", error: "HTTP 404" });
    expect(decide(outcome({ status: 400 }), 1).kind).toBe("failed");
    expect(decide(outcome({ failure: "refused", error: "private address" }), 1)).toEqual({
      kind: "failed",
      error: "private address",
    });
    expect(decide(outcome({ status: 301, responseHeaders: { location: "https://elsewhere.example/" } }), 1)).toEqual({
      kind: "failed",
      error: "HTTP 301: redirects are not followed (Location: https://elsewhere.example/).",
    });
  });

  it("honours Retry-After up to the cap, never shortening the backoff", () => {
    const asked = (value: string) => outcome({ status: 429, responseHeaders: { "retry-after": value } });
    expect(decide(asked("120"), 1, noJitter)).toMatchObject({ delayMs: 120_000 });
    expect(decide(asked("86400"), 1, noJitter)).toMatchObject({ delayMs: DEFAULT_RETRY_SCHEDULE.retryAfterCapMs });
    expect(decide(asked("0"), 1, noJitter)).toMatchObject({ delayMs: 1_000 });
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
  });
});
