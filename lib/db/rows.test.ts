// Raw SQL rows against their schemas: what PostgreSQL really answers for a count without ::int
// (pg: a string, Prisma: a bigint) or an extra column fails the tests; a matching row passes.
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db, query } from "@/lib/testing/context";
import { rowsOf } from "./rows";

const countRow = z.object({ n: z.number().int() });

afterEach(() => {
  process.env.WC_CHECK_SQL_ROWS = "1";
});

describe("raw SQL rows", () => {
  it("are checked in the tests (the vitest configs set WC_CHECK_SQL_ROWS)", () => {
    expect(process.env.WC_CHECK_SQL_ROWS).toBe("1");
  });

  it("pass when they match", async () => {
    expect(rowsOf(countRow, await query("SELECT count(*)::int AS n FROM generate_series(1, 3)"), "ok")).toEqual([{ n: 3 }]);
    expect(rowsOf(countRow, await db.$queryRaw`SELECT count(*)::int AS n FROM generate_series(1, 3)`, "ok")).toEqual([{ n: 3 }]);
  });

  it("fail on a count pg or Prisma did not make a number, and on a column the schema does not name", async () => {
    expect(() => rowsOf(countRow, [{ n: "3" }], "pg's count")).toThrow(/pg's count is outside its schema/);
    const bigint: unknown = await db.$queryRaw`SELECT count(*) AS n FROM generate_series(1, 3)`;
    expect(() => rowsOf(countRow, bigint, "Prisma's count")).toThrow(/outside its schema[\s\S]*"3n"/);
    expect(() => rowsOf(countRow, [{ n: 3, extra: 1 }], "extra")).toThrow(/extra/);
  });

  it("may come in several shapes (a union of objects), each checked exactly", () => {
    const either = z.union([z.object({ id: z.string(), more: z.boolean() }), z.object({ id: z.null(), more: z.boolean() })]);
    expect(
      rowsOf(
        either,
        [
          { id: "a", more: false },
          { id: null, more: true },
        ],
        "either",
      ),
    ).toHaveLength(2);
    expect(() => rowsOf(either, [{ id: 1, more: true }], "a number id")).toThrow(/a number id is outside its schema/);
    expect(() => rowsOf(either, [{ id: null, more: true, extra: 1 }], "an extra column")).toThrow(/an extra column is outside/);
  });

  it("are not checked in production (the hot paths skip the parse)", () => {
    process.env.WC_CHECK_SQL_ROWS = "";
    expect(rowsOf(countRow, [{ n: "3" }], "unchecked")).toEqual([{ n: "3" }]);
  });
});
