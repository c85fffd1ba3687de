import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./unavailable";

describe("isDatabaseUnavailable", () => {
  it("recognises a connection the server closed mid-query (Prisma P2010 from the pg adapter)", () => {
    // The shape Prisma 6 throws when PostgreSQL shuts down under a running $queryRaw (found by the fault suite).
    const error = Object.assign(new Error("Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`"), {
      code: "P2010",
      meta: { driverAdapterError: Object.assign(new Error("ConnectionClosed"), { cause: { kind: "ConnectionClosed" } }) },
    });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "ConnectionClosed" } } } })).toBe(true);
  });

  it("leaves other database errors alone", () => {
    expect(isDatabaseUnavailable({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "UniqueConstraintViolation" } } } })).toBe(
      false,
    );
    expect(isDatabaseUnavailable(new Error("syntax error at or near"))).toBe(false);
  });
});
