import type { PoolClient } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ctx, pool } from "@/lib/testing/context";
import { rollupDeliveries } from "@/lib/deliveries/rollup";
import { ADVISORY_LOCKS } from "./advisory-locks";

describe("advisory lock keys", () => {
  it("are distinct", () => {
    const keys = Object.values(ADVISORY_LOCKS);
    expect(new Set(keys).size).toBe(keys.length);
  });

  describe("while another session holds the app role's start-up lock", () => {
    let session: PoolClient;
    beforeAll(async () => {
      session = await pool.connect();
      await session.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCKS.appRole]);
    });
    afterAll(async () => {
      await session.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCKS.appRole]).catch(() => {});
      session.release();
    });

    it("the stats rollup still runs (it used to share that key and skip)", async () => {
      const result = await rollupDeliveries(ctx);
      expect(result.skipped).toBe(false);
    });
  });
});
