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
import * as signingKeyRoute from "@/app/api/hooks/[id]/signing-key/route";
import * as testRoute from "@/app/api/hooks/[id]/test/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { db } from "@/lib/db/client";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call } from "@/lib/testing/http";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { resetDatabase } from "@/lib/testing/reset";

// A body read loosely: these checks compare Logto-shaped values field by field.
const json = (res: { json: unknown }) => res.json as Record<string, unknown>;

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
    expect(json(one).executionStats).toEqual({ requestCount: 2, successCount: 1 });
    const list = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?includeExecutionStats=true" });
    expect((list.json as unknown as { executionStats: unknown }[])[0].executionStats).toEqual({ requestCount: 2, successCount: 1 });

    // Our own view keeps every request, the unfinished ones as such.
    const table = await call(deliveriesRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}/deliveries` });
    const items = json(table).items as { id: string; status: string }[];
    expect(items.map((item) => [item.id, item.status])).toEqual([
      [queued.id, "pending"],
      [sending.id, "pending"],
      [retrying.id, "pending"],
      [failed.id, "failed"],
      [ok.id, "succeeded"],
    ]);
  });
});

describe("1. Logto's error codes and body on Logto's routes", () => {
  const missing = "nosuchhook00000000000";

  it("guard.invalid_input for a bad body or query, with Logto's data and details, and our field list", async () => {
    const bad = await call(hooksRoute.POST, { apiKey, body: { name: "x", events: ["User.Exploded"], config: { url: "https://a.example.com" } } });
    expect(bad.status).toBe(400);
    expect(json(bad)).toMatchObject({
      code: "guard.invalid_input",
      message: "The request body is invalid.",
      data: { issues: [{ path: ["events", "0"], message: 'Unknown event "User.Exploded".' }] },
      details: expect.stringContaining('Error in key path "events.0"'),
      fields: [{ path: "events.0", message: 'Unknown event "User.Exploded".' }],
    });
    const query = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?page=0" });
    expect([query.status, json(query).code, json(query).message]).toEqual([400, "guard.invalid_input", "The request query is invalid."]);
    const notJson = await call(hooksRoute.POST, { apiKey, rawBody: "{", headers: { "content-type": "application/json" } });
    expect([notJson.status, json(notJson).code]).toEqual([400, "guard.invalid_input"]);
  });

  it("hook.missing_events when neither events nor event is given (an empty list is guard.invalid_input)", async () => {
    const res = await call(hooksRoute.POST, { apiKey, body: { name: "x", config: { url: "https://a.example.com" } } });
    expect(res.status).toBe(400);
    expect(json(res)).toMatchObject({ code: "hook.missing_events", message: "You need to provide at least one event." });
    const empty = await call(hooksRoute.POST, { apiKey, body: { name: "x", events: [], config: { url: "https://a.example.com" } } });
    expect([empty.status, json(empty).code]).toEqual([400, "guard.invalid_input"]);
  });

  it("a missing hook: entity.not_exists_with_id on reads and tests, entity.not_exists on updates, entity.not_found on delete", async () => {
    const params = { id: missing };
    const read = await call(hookRoute.GET, { apiKey, params });
    expect([read.status, json(read).code, json(read).message]).toEqual([404, "entity.not_exists_with_id", `The hooks with ID \`${missing}\` does not exist.`]);
    const test = await call(testRoute.POST, { apiKey, params, body: { events: ["User.Created"], config: { url: "https://a.example.com" } } });
    expect([test.status, json(test).code]).toEqual([404, "entity.not_exists_with_id"]);
    const update = await call(hookRoute.PATCH, { apiKey, params, method: "PATCH", body: { name: "y" } });
    expect([update.status, json(update).code]).toEqual([404, "entity.not_exists"]);
    const rotate = await call(signingKeyRoute.PATCH, { apiKey, params, method: "PATCH" });
    expect([rotate.status, json(rotate).code]).toEqual([404, "entity.not_exists"]);
    const remove = await call(hookRoute.DELETE, { apiKey, params, method: "DELETE" });
    expect([remove.status, json(remove).code]).toEqual([404, "entity.not_found"]);
    // Our own routes keep our codes.
    const ours = await call(deliveriesRoute.GET, { apiKey, params });
    expect([ours.status, json(ours).code]).toEqual([404, "not_found"]);
  });

  it("auth.unauthorized without a valid key", async () => {
    const res = await call(hooksRoute.GET, {});
    expect([res.status, json(res).code]).toEqual([401, "auth.unauthorized"]);
  });
});

describe("2. Logto's hook JSON on Logto's routes", () => {
  it("name is optional (\"\" by default) and an update keeps toMatchObject(created) true: no updatedAt", async () => {
    const created = await call(hooksRoute.POST, { apiKey, body: { events: ["User.Created"], config: { url: "https://a.example.com/hook" } } });
    expect(created.status).toBe(201);
    expect(json(created).name).toBe("");
    expect(json(created)).not.toHaveProperty("updatedAt");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const id = json(created).id as string;
    const updated = await call(hookRoute.PATCH, { apiKey, params: { id }, method: "PATCH", body: { enabled: true } });
    expect(updated.status).toBe(200);
    expect(json(updated)).toMatchObject(json(created));
    const fetched = await call(hookRoute.GET, { apiKey, params: { id } });
    expect(json(fetched)).toMatchObject(json(created));
  });
});
