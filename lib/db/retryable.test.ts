import { describe, expect, it } from "vitest";
import { isRetryableDbError } from "./retryable";

describe("isRetryableDbError", () => {
  it("knows a deadlock or serialization failure from pg, and through Prisma's wrapping", () => {
    expect(isRetryableDbError(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBe(true);
    expect(isRetryableDbError(Object.assign(new Error("could not serialize"), { code: "40001" }))).toBe(true);
    expect(isRetryableDbError({ code: "P2034" })).toBe(true);
    expect(isRetryableDbError(new Error("wrapped", { cause: { kind: "postgres", code: "40P01" } }))).toBe(true);
  });

  it("leaves every other failure alone", () => {
    expect(isRetryableDbError(Object.assign(new Error("unique"), { code: "23505" }))).toBe(false);
    expect(isRetryableDbError(new Error("no code"))).toBe(false);
    expect(isRetryableDbError(null)).toBe(false);
  });
});
