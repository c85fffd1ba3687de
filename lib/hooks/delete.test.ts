// Deleting a hook while another transaction writes its deliveries. The worker's result write locks
// the delivery rows of a batch, then its queue rows and the hook's health (and the Hook row when
// it auto-disables); the delete locks the Hook row, then every delivery row of the hook as its
// cascade reaches them. Those orders can cross, and PostgreSQL then aborts one of the two
// (deadlock_detected): the DELETE answered 500 once. The service runs the delete again instead.
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ctx, db, pool, query } from "@/lib/testing/context";
import { createTestHook } from "@/lib/testing/hooks";
import { resetDatabase } from "@/lib/testing/reset";
import { waitFor } from "@/lib/testing/wait";
import { rowsOf } from "@/lib/db/rows";
import { deleteHook } from "./service";

const waitingSchema = z.object({ waiting: z.number().int() });
const superSchema = z.object({ super: z.boolean() });

beforeEach(async () => {
  await resetDatabase();
});

describe("deleteHook against a writer holding the hook's rows", () => {
  it("is run again when PostgreSQL picks it as a deadlock's victim", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/a" });
    const deliveryId = crypto.randomUUID();
    await db.delivery.create({
      data: { id: deliveryId, hookId: hook.id, event: "User.Created", requestBody: "{}", status: "succeeded", attempts: 1 },
    });
    const writer = await pool.connect();
    try {
      await writer.query("BEGIN");
      // The writer never runs the deadlock check itself (as a superuser, which the test servers
      // use), so the delete, waiting first on the default 1 s, is the one PostgreSQL aborts.
      const [role] = rowsOf(
        superSchema,
        (await writer.query(`SELECT rolsuper AS "super" FROM pg_roles WHERE rolname = current_user`)).rows,
        "the writer's role",
      );
      if (role?.super) await writer.query(`SET LOCAL deadlock_timeout = '1min'`);
      // 1. The writer holds one of the hook's delivery rows, as a result write does.
      await writer.query(`SELECT id FROM "Delivery" WHERE id = $1::uuid FOR UPDATE`, [deliveryId]);
      const outcome = deleteHook(ctx, hook.id).then(
        () => null,
        (error: unknown) => error,
      );
      // 2. The delete holds the Hook row and waits for that delivery row (its cascade).
      await waitFor(async () => {
        const [row] = rowsOf(
          waitingSchema,
          await query(
            `SELECT count(*)::int AS "waiting" FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'DELETE FROM %"Hook"%'`,
          ),
          "the waiting delete",
        );
        return (row?.waiting ?? 0) > 0;
      });
      // 3. The writer now wants the Hook row (as an auto-disable updates it): a cycle. PostgreSQL
      // aborts the delete, and the writer's update goes through.
      await writer.query(`UPDATE "Hook" SET "updatedAt" = now() WHERE id = $1`, [hook.id]);
      await writer.query("COMMIT");
      expect(await outcome).toBeNull();
    } finally {
      await writer.query("ROLLBACK").catch(() => {});
      writer.release();
    }
    expect(await db.hook.count({ where: { id: hook.id } })).toBe(0);
    expect(await db.delivery.count({ where: { id: deliveryId } })).toBe(0);
  });
});
