// The claim's plan under a backlog: every row it locks, leases and returns is found by primary key.
// With the planner's estimate of thousands of candidates, the claim had hash-joined its picks
// against sequential scans of the queue and the log: 7 ms a claim at 60,000 queued rows, a
// quarter of PostgreSQL's time per delivery in the drain (bench/NOTES.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool, query } from "@/lib/testing/context";
import { resetDatabase } from "@/lib/testing/reset";
import { CLAIM_SQL, LEASES_PER_REQUEST_SLOT } from "./queue";

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

function scans(node: PlanNode, into: string[] = []) {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) into.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) scans(child, into);
  return into;
}

const BACKLOG = 30_000;

describe("the claim's plan", () => {
  beforeAll(async () => {
    await resetDatabase();
    await query(
      `INSERT INTO "Hook" (id, name, events, url, "signingKey", "updatedAt")
       VALUES ('planhook', 'plan', ARRAY['User.Created'], 'http://127.0.0.1:9/hook', 'key', now())`,
    );
    await query(
      `INSERT INTO "Delivery" (id, "hookId", event, "requestBody", "createdAt", "nextAttemptAt")
       SELECT gen_random_uuid(), 'planhook', 'User.Created', repeat('x', 300), now(), now() FROM generate_series(1, $1::int)`,
      [BACKLOG],
    );
    // Another worker's leases, as in a drain.
    await query(
      `UPDATE "DeliveryQueue" SET "leaseOwner" = 'other', "leaseUntil" = now() + interval '1 minute'
       WHERE id IN (SELECT id FROM "DeliveryQueue" ORDER BY "nextAttemptAt" LIMIT 200)`,
    );
    await query(`ANALYZE "Delivery", "DeliveryQueue"`);
  });
  afterAll(resetDatabase);

  it("reads neither the queue nor the log sequentially, however many rows are queued", async () => {
    // The worker runs the claim as a prepared statement, which PostgreSQL plans generically after a
    // few runs: the LIMITs computed from parameters are then guesses.
    const client = await pool.connect();
    try {
      await client.query("SET plan_cache_mode = force_generic_plan");
      await client.query(`PREPARE claim_plan AS ${CLAIM_SQL}`);
      const caps = 64 * LEASES_PER_REQUEST_SLOT;
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) EXECUTE claim_plan(64, 'planner', 30000, ${caps}, ${caps}, '[]', 64, 64)`,
      );
      const plan = rows[0]?.["QUERY PLAN"][0].Plan;
      expect(plan).toBeDefined();
      expect(scans(plan as PlanNode).filter((name) => name === "DeliveryQueue" || name === "Delivery")).toEqual([]);
    } finally {
      await client.query("DEALLOCATE ALL; RESET plan_cache_mode");
      client.release();
    }
  });
});
