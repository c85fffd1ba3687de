import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import * as batchRoute from "@/app/api/events/batch/route";
import * as eventsRoute from "@/app/api/events/route";
import { ctx, db } from "@/lib/testing/context";
import { acceptedBatchSchema, acceptedEventSchema } from "./schemas";
import { DELIVERY_CHANNEL } from "@/lib/delivery/queue";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call, codeOf, errorOf } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";
import { buildPayload } from "./payload";
import { emit, emitBatch } from "./service";

let apiKey: string;
let session: string;

async function counts() {
  return { events: await db.event.count(), deliveries: await db.delivery.count() };
}

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey, session } = await signedInAdmin());
});

describe("POST /api/events", () => {
  it("stores the event and one delivery per enabled subscribed hook, with Logto's payload bytes", async () => {
    const a = await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created", "User.Deleted"] });
    const b = await createTestHook({ url: "https://b.example.com/hook", events: ["User.Created"] });
    await createTestHook({ url: "https://c.example.com/hook", events: ["Role.Created"] });
    await createTestHook({ url: "https://d.example.com/hook", events: ["User.Created"], enabled: false });

    const context = {
      params: { userId: "u1" },
      method: "POST",
      userAgent: "curl/8",
      path: "/api/users",
      ip: "203.0.113.9",
      status: 201,
    };
    const data = { id: "u1", name: "Zoë", tags: ["a", "b"] };
    const res = await call(eventsRoute.POST, { apiKey, body: { event: "User.Created", data, context } });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ id: expect.any(String), event: "User.Created", queued: 2 });

    const event = await db.event.findUniqueOrThrow({ where: { id: bodyOf(res, acceptedEventSchema).id } });
    expect(event).toMatchObject({ event: "User.Created", queued: 2, data, context });
    const deliveries = await db.delivery.findMany({ where: { eventId: event.id }, orderBy: { hookId: "asc" } });
    expect(deliveries.map((d) => d.hookId).sort()).toEqual([a.id, b.id].sort());
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: "pending", attempts: 0, event: "User.Created" });
      // Logto's order: hookId, event, createdAt, the request context, data.
      const expected =
        `{"hookId":"${delivery.hookId}","event":"User.Created","createdAt":"${event.createdAt.toISOString()}",` +
        `"userAgent":"curl/8","ip":"203.0.113.9","path":"/api/users","method":"POST","status":201,` +
        `"params":{"userId":"u1"},"data":{"id":"u1","name":"Zoë","tags":["a","b"]}}`;
      expect(delivery.requestBody).toBe(expected);
    }
  });

  it("places interaction context as Logto does, without data when none is given", async () => {
    const createdAt = new Date("2026-05-01T10:00:00.000Z");
    const body = buildPayload("hook1", {
      event: "PostSignIn",
      createdAt,
      context: {
        application: { id: "app1" },
        user: { id: "u1" },
        userIp: "198.51.100.7",
        userId: "u1",
        userAgent: "Mozilla",
        sessionId: "s1",
      },
    });
    expect(body).toBe(
      '{"hookId":"hook1","event":"PostSignIn","createdAt":"2026-05-01T10:00:00.000Z","sessionId":"s1",' +
        '"userAgent":"Mozilla","userId":"u1","userIp":"198.51.100.7","user":{"id":"u1"},"application":{"id":"app1"}}',
    );
  });

  it("accepts an event no hook listens to, queuing nothing", async () => {
    const res = await call(eventsRoute.POST, { apiKey, body: { event: "Scope.Deleted", data: null } });
    expect(res.status).toBe(202);
    expect(bodyOf(res, acceptedEventSchema).queued).toBe(0);
    expect(await counts()).toEqual({ events: 1, deliveries: 0 });
  });

  it("requires an API key or a session", async () => {
    const anonymous = await call(eventsRoute.POST, { body: { event: "User.Created", data: {} } });
    expect(anonymous.status).toBe(401);
    const wrongKey = await call(eventsRoute.POST, { apiKey: "whc_not-a-key", body: { event: "User.Created", data: {} } });
    expect(wrongKey.status).toBe(401);
    expect(await counts()).toEqual({ events: 0, deliveries: 0 });
    const viaSession = await call(eventsRoute.POST, { session, body: { event: "User.Created", data: {} } });
    expect(viaSession.status).toBe(202);
  });

  it("answers every bad request with a 4xx and stores nothing", async () => {
    await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created"] });
    const cases: { body?: unknown; rawBody?: string; status: number; code: string; path?: string }[] = [
      { body: { event: "User.Exploded", data: {} }, status: 422, code: "unknown_event", path: "event" },
      { body: { data: {} }, status: 400, code: "validation_failed", path: "event" },
      { body: { event: 42 }, status: 400, code: "validation_failed", path: "event" },
      { body: { event: "User.Created", context: { status: "ok" } }, status: 400, code: "validation_failed", path: "context.status" },
      { body: { event: "User.Created", context: { nickname: "x" } }, status: 400, code: "validation_failed", path: "context.nickname" },
      { body: { event: "User.Created", id: "" }, status: 400, code: "validation_failed", path: "id" },
      { body: ["User.Created"], status: 400, code: "validation_failed" },
      { rawBody: '{"event": "User.Created", ', status: 400, code: "invalid_json" },
      { rawBody: "", status: 400, code: "invalid_json" },
      { body: { event: "User.Created", data: { blob: "x".repeat(256 * 1024) } }, status: 413, code: "payload_too_large" },
    ];
    for (const { body, rawBody, status, code, path } of cases) {
      const res = await call(eventsRoute.POST, {
        apiKey,
        body,
        rawBody,
        headers: rawBody !== undefined ? { "content-type": "application/json" } : undefined,
      });
      expect({ status: res.status, code: codeOf(res) }).toEqual({ status, code });
      if (path) expect((errorOf(res).fields ?? []).map((f) => f.path)).toContain(path);
    }
    expect(await counts()).toEqual({ events: 0, deliveries: 0 });
  });

  it("applies the same size limit when server code calls emit", async () => {
    await expect(emit(ctx, { event: "User.Created", data: "x".repeat(256 * 1024) })).rejects.toMatchObject({ code: "payload_too_large" });
    expect(await counts()).toEqual({ events: 0, deliveries: 0 });
  });

  it("wakes workers with NOTIFY when deliveries are queued", async () => {
    await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created"] });
    const client = new pg.Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    try {
      await client.query(`LISTEN ${DELIVERY_CHANNEL}`);
      const notified = new Promise<string>((resolve) => client.on("notification", (message) => resolve(message.channel)));
      await emit(ctx, { event: "User.Created", data: {} });
      expect(await notified).toBe(DELIVERY_CHANNEL);
    } finally {
      await client.end();
    }
  });
});

describe("idempotency", () => {
  it("answers a repeated id with the first answer and queues nothing new", async () => {
    await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created"] });
    const body = { event: "User.Created", data: { n: 1 }, id: "order-42" };
    const first = await call(eventsRoute.POST, { apiKey, body });
    const again = await call(eventsRoute.POST, { apiKey, body: { ...body, data: { n: 2 } } });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await counts()).toEqual({ events: 1, deliveries: 1 });
  });

  it("stays race-safe: concurrent requests with one id store one event", async () => {
    await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created"] });
    const answers = await Promise.all(Array.from({ length: 12 }, () => emit(ctx, { event: "User.Created", data: {}, id: "same-key" })));
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    expect(await counts()).toEqual({ events: 1, deliveries: 1 });
  });

  it("treats an id last used more than 24 h ago as new", async () => {
    await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created"] });
    const first = await emit(ctx, { event: "User.Created", data: {}, id: "daily" });
    await db.event.update({ where: { id: first.id }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    const second = await emit(ctx, { event: "User.Created", data: {}, id: "daily" });
    expect(second.id).not.toBe(first.id);
    expect(second.replayed).toBe(false);
    expect(await counts()).toEqual({ events: 2, deliveries: 2 });
  });
});

describe("POST /api/events/batch", () => {
  it("stores up to 500 events at once and answers per event", async () => {
    await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created", "Role.Created"] });
    const res = await call(batchRoute.POST, {
      apiKey,
      body: {
        events: [
          { event: "User.Created", data: { n: 1 }, id: "k1" },
          { event: "Role.Created", data: { n: 2 } },
          { event: "Scope.Created", data: { n: 3 } },
          { event: "User.Created", data: { n: 4 }, id: "k1" },
        ],
      },
    });
    expect(res.status).toBe(202);
    const { events, queued } = bodyOf(res, acceptedBatchSchema);
    expect(events.map((e) => [e.event, e.queued, e.replayed])).toEqual([
      ["User.Created", 1, false],
      ["Role.Created", 1, false],
      ["Scope.Created", 0, false],
      ["User.Created", 1, true],
    ]);
    expect(events[3]?.id).toBe(events[0]?.id);
    expect(queued).toBe(2);
    expect(await counts()).toEqual({ events: 3, deliveries: 2 });

    const bare = await emitBatch(ctx, [{ event: "User.Created", data: {} }]);
    expect(bare).toHaveLength(1);
  });

  it("stores nothing when any event is bad, and names it", async () => {
    await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created"] });
    const unknown = await call(batchRoute.POST, {
      apiKey,
      body: {
        events: [
          { event: "User.Created", data: {} },
          { event: "Nope", data: {} },
        ],
      },
    });
    expect(unknown.status).toBe(422);
    expect(errorOf(unknown).fields).toEqual([{ path: "events.1.event", message: 'Unknown event "Nope".' }]);

    // A field that event does not take: 400, named at its place in the batch.
    const foreign = await call(batchRoute.POST, {
      apiKey,
      body: {
        events: [
          { event: "Role.Scopes.Updated", context: { roleId: "r1" } },
          { event: "User.Created", context: { roleId: "r1" } },
        ],
      },
    });
    expect([foreign.status, codeOf(foreign)]).toEqual([400, "validation_failed"]);
    expect(errorOf(foreign).fields).toEqual([
      { path: "events.1.context.roleId", message: 'Logto\'s "User.Created" payload has no "roleId" field.' },
    ]);

    const invalid = await call(batchRoute.POST, { apiKey, body: { events: [{ event: "User.Created", context: { ip: 4 } }] } });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid).fields?.[0]?.path).toBe("events.0.context.ip");

    const tooMany = await call(batchRoute.POST, {
      apiKey,
      body: { events: Array.from({ length: 501 }, () => ({ event: "User.Created", data: {} })) },
    });
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany).fields?.[0]?.path).toBe("events");

    const empty = await call(batchRoute.POST, { apiKey, body: { events: [] } });
    expect(empty.status).toBe(400);
    expect(await counts()).toEqual({ events: 0, deliveries: 0 });
  });
});
