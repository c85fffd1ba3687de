// Logto compatibility, written from Logto's documented behaviour and its management API's
// contract (issue 12): what a client written against Logto's /api/hooks sees from this server.
// Each block names the point of the issue it covers.
import { randomUUID } from "node:crypto";
import { describe, expect, it, beforeEach } from "vitest";
import { acceptedEventSchema } from "@/lib/events/schemas";
import * as eventsRoute from "@/app/api/events/route";
import * as deliveriesRoute from "@/app/api/hooks/[id]/deliveries/route";
import * as recentLogsRoute from "@/app/api/hooks/[id]/recent-logs/route";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { db } from "@/lib/db/client";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call } from "@/lib/testing/http";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { resetDatabase } from "@/lib/testing/reset";

let apiKey: string;

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey } = await signedInAdmin());
});

describe("6. ingestion while hooks are being deleted", () => {
  it("accepts every event and delivers to the hooks that still exist (300 races, 0 errors)", async () => {
    const survivor = await createTestHook({ url: "https://survivor.example.com/hook" });
    const RACES = 300;
    const PARALLEL = 10;
    const statuses: number[] = [];
    const eventIds: string[] = [];
    for (let round = 0; round < RACES / PARALLEL; round++) {
      const victims = await Promise.all(
        Array.from({ length: PARALLEL }, () => createTestHook({ url: "https://victim.example.com/hook" })),
      );
      const results = await Promise.all(
        victims.flatMap((victim) => [
          call(eventsRoute.POST, { apiKey, body: { event: "User.Created", data: { round } } }),
          call(hookRoute.DELETE, { apiKey, method: "DELETE", params: { id: victim.id } }),
        ]),
      );
      for (const [index, res] of results.entries()) {
        if (index % 2 === 0) {
          statuses.push(res.status);
          if (res.status === 202) eventIds.push(bodyOf(res, acceptedEventSchema).id);
        } else expect(res.status).toBe(204);
      }
    }
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    expect(eventIds).toHaveLength(RACES);
    // Every event reached the hook that was never deleted; no delivery points at a deleted hook.
    expect(await db.delivery.count({ where: { hookId: survivor.id } })).toBe(RACES);
    expect(await db.delivery.count({ where: { hookId: { not: survivor.id } } })).toBe(0);
    expect(await db.hook.count()).toBe(1);
  }, 120_000);
});

describe("3. Logto's logs and executionStats list finished requests only", () => {
  type Status = "pending" | "succeeded" | "failed";
  const seed = (hookId: string, status: Status, attempts: number, ageMs: number) =>
    db.delivery.create({
      data: { id: randomUUID(), hookId, event: "User.Created", requestBody: "{}", status, attempts, responseStatus: attempts ? 503 : null, createdAt: new Date(Date.now() - ageMs) },
    });

  it("a request being retried or sent is not in recent-logs nor counted; the console's table shows it in flight", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const ok = await seed(hook.id, "succeeded", 1, 50_000);
    const failed = await seed(hook.id, "failed", 4, 40_000);
    const retrying = await seed(hook.id, "pending", 2, 30_000); // failed an attempt, waits for the next
    const sending = await seed(hook.id, "pending", 1, 20_000); // interrupted once, being sent again
    const queued = await seed(hook.id, "pending", 0, 10_000);

    const logs = await call(recentLogsRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}/recent-logs` });
    expect(logs.status).toBe(200);
    expect((logs.json as unknown as { id: string; payload: { result: string } }[]).map((log) => [log.id, log.payload.result])).toEqual([
      [failed.id, "Error"],
      [ok.id, "Success"],
    ]);
    expect(logs.headers.get("total-number")).toBe("2");

    const one = await call(hookRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}?includeExecutionStats=true` });
    expect(one.json.executionStats).toEqual({ requestCount: 2, successCount: 1 });
    const list = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?includeExecutionStats=true" });
    expect((list.json as unknown as { executionStats: unknown }[])[0].executionStats).toEqual({ requestCount: 2, successCount: 1 });

    // Our own view keeps every request, the unfinished ones as such.
    const table = await call(deliveriesRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}/deliveries` });
    const items = table.json.items as { id: string; status: string }[];
    expect(items.map((item) => [item.id, item.status])).toEqual([
      [queued.id, "pending"],
      [sending.id, "pending"],
      [retrying.id, "pending"],
      [failed.id, "failed"],
      [ok.id, "succeeded"],
    ]);
  });
});
