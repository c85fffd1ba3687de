// The request log through its real route handlers and a real PostgreSQL: the console's table and
// details, resend (through the real worker to a real local receiver), and Logto's recent-logs.
import { createHmac, randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at, first } from "@/lib/assert";
import * as detailsRoute from "@/app/api/hooks/[id]/deliveries/[deliveryId]/route";
import * as resendRoute from "@/app/api/hooks/[id]/deliveries/[deliveryId]/resend/route";
import * as deliveriesRoute from "@/app/api/hooks/[id]/deliveries/route";
import * as recentLogsRoute from "@/app/api/hooks/[id]/recent-logs/route";
import { ctx, db } from "@/lib/testing/context";
import { createSender } from "@/lib/delivery/http";
import { DELIVERY_CHANNEL } from "@/lib/delivery/queue";
import { processDueDeliveries } from "@/lib/delivery/worker";
import { emit } from "@/lib/events/service";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call, errorOf } from "@/lib/testing/http";
import { startReceiver, type Receiver } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { z } from "zod";
import { deliveryDetailsSchema, deliveryPageSchema, DELIVERY_WINDOW_MS, logtoHookLogSchema, type DeliveryPage } from "./schemas";

type Status = "pending" | "succeeded" | "failed";
type Seed = {
  event?: string;
  status?: Status;
  attempts?: number;
  ageMs?: number;
  createdAt?: Date;
  responseStatus?: number | null;
  requestBody?: string;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  error?: string;
};

async function seed(hookId: string, input: Seed = {}) {
  const status = input.status ?? "succeeded";
  return db.delivery.create({
    data: {
      id: randomUUID(),
      hookId,
      event: input.event ?? "User.Created",
      status,
      attempts: input.attempts ?? (status === "pending" ? 0 : 1),
      requestBody: input.requestBody ?? `{"hookId":"${hookId}","event":"${input.event ?? "User.Created"}","n":${Math.random()}}`,
      requestUrl: "https://hooks.example.com/in",
      requestHeaders: input.requestHeaders,
      responseStatus: input.responseStatus === undefined ? (status === "succeeded" ? 200 : null) : input.responseStatus,
      responseHeaders: input.responseHeaders,
      responseBody: input.responseBody,
      error: input.error,
      createdAt: input.createdAt ?? new Date(Date.now() - (input.ageMs ?? 60_000)),
    },
  });
}

let apiKey: string;
let session: string;
const receivers: Receiver[] = [];

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey, session } = await signedInAdmin());
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const listPath = (hookId: string, query = "") => `/api/hooks/${hookId}/deliveries${query ? `?${query}` : ""}`;

async function list(hookId: string, query = "") {
  const res = await call(deliveriesRoute.GET, { apiKey, params: { id: hookId }, path: listPath(hookId, query) });
  expect(res.status).toBe(200);
  return bodyOf(res, deliveryPageSchema);
}

async function allPages(hookId: string, query: string) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: DeliveryPage = await list(hookId, [query, cursor ? `cursor=${cursor}` : ""].filter(Boolean).join("&"));
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { ids, pages };
}

describe("GET /api/hooks/:id/deliveries (the Recent requests table)", () => {
  it("lists the last 24 hours newest first, one entry per delivery whatever its retries", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const older = await seed(hook.id, { ageMs: 3 * 60_000, status: "failed", attempts: 4, responseStatus: 500, error: "HTTP 500" });
    const newer = await seed(hook.id, { ageMs: 60_000, event: "Role.Created" });
    await seed(hook.id, { ageMs: DELIVERY_WINDOW_MS + 60_000 }); // older than the window

    const page = await list(hook.id);
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((item) => item.id)).toEqual([newer.id, older.id]);
    expect(page.items[1]).toEqual({
      id: older.id,
      hookId: hook.id,
      event: "User.Created",
      status: "failed",
      attempts: 4,
      responseStatus: 500,
      durationMs: null,
      error: "HTTP 500",
      createdAt: older.createdAt.getTime(),
      completedAt: null,
      resendOfId: null,
    });
  });

  it("pages by cursor without skipping or repeating rows that share a timestamp", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const same = new Date(Date.now() - 5 * 60_000);
    const rows = [
      ...(await Promise.all(Array.from({ length: 7 }, () => seed(hook.id, { createdAt: same })))),
      await seed(hook.id, { ageMs: 60_000 }),
      await seed(hook.id, { ageMs: 10 * 60_000 }),
      await seed(hook.id, { ageMs: 2 * 60_000, event: "Role.Created", status: "failed", responseStatus: 404 }),
    ];
    const expected = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((row) => row.id);

    const { ids, pages } = await allPages(hook.id, "limit=3");
    expect(pages).toBe(4);
    expect(ids).toEqual(expected);

    // A new request arriving meanwhile does not shift the pages that follow a cursor.
    const first = await list(hook.id, "limit=3");
    await seed(hook.id, { ageMs: 0 });
    const second = await list(hook.id, `limit=3&cursor=${first.nextCursor}`);
    expect(second.items.map((item) => item.id)).toEqual(expected.slice(3, 6));
  });

  it("filters by event and by result, alone and together, across pages", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in", events: ["User.Created", "Role.Created"] });
    const made: Awaited<ReturnType<typeof seed>>[] = [];
    for (let index = 0; index < 12; index++) {
      made.push(
        await seed(hook.id, {
          ageMs: (index + 1) * 60_000,
          event: index % 2 ? "Role.Created" : "User.Created",
          status: index % 3 === 0 ? "failed" : "succeeded",
          responseStatus: index % 3 === 0 ? 500 : 200,
        }),
      );
    }
    await seed(hook.id, { status: "pending", attempts: 2, responseStatus: 503, ageMs: 30_000 }); // retrying: in neither result
    const idsWhere = (keep: (row: (typeof made)[number]) => boolean) => made.filter(keep).map((row) => row.id);

    expect((await allPages(hook.id, "event=Role.Created&limit=2")).ids).toEqual(idsWhere((row) => row.event === "Role.Created"));
    expect((await allPages(hook.id, "result=failed&limit=2")).ids).toEqual(idsWhere((row) => row.status === "failed"));
    expect((await allPages(hook.id, "result=success")).ids).toEqual(idsWhere((row) => row.status === "succeeded"));
    expect((await allPages(hook.id, "event=User.Created&result=failed")).ids).toEqual(
      idsWhere((row) => row.event === "User.Created" && row.status === "failed"),
    );
    expect((await list(hook.id)).items).toHaveLength(13);
  });

  it("numbers pages with page and limit, with the total of matching requests (the console's page numbers)", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in", events: ["User.Created", "Role.Created"] });
    const made: Awaited<ReturnType<typeof seed>>[] = [];
    for (let index = 0; index < 7; index++) {
      made.push(await seed(hook.id, { ageMs: (index + 1) * 60_000, event: index < 5 ? "User.Created" : "Role.Created" }));
    }
    await seed(hook.id, { ageMs: DELIVERY_WINDOW_MS + 60_000 }); // outside the window: not counted
    const ids = made.map((row) => row.id);

    const first = await list(hook.id, "page=1&limit=3");
    expect(first.total).toBe(7);
    expect(first.items.map((item) => item.id)).toEqual(ids.slice(0, 3));
    const third = await list(hook.id, "page=3&limit=3");
    expect({ total: third.total, ids: third.items.map((item) => item.id), next: third.nextCursor }).toEqual({
      total: 7,
      ids: ids.slice(6),
      next: null,
    });
    expect((await list(hook.id, "page=9&limit=3")).items).toEqual([]);
    const filtered = await list(hook.id, "page=1&limit=3&event=Role.Created");
    expect({ total: filtered.total, ids: filtered.items.map((item) => item.id) }).toEqual({ total: 2, ids: ids.slice(5) });
    // Keyset paging is unchanged: no total unless asked by page.
    expect((await list(hook.id, "limit=3")).total).toBeUndefined();
  });

  it("rejects bad filters and cursors with field errors, and unknown hooks with 404", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    for (const [query, path] of [
      ["result=maybe", "result"],
      ["event=No.Such", "event"],
      ["limit=500", "limit"],
      ["page=0", "page"],
      ["page=two", "page"],
      ["cursor=bm90LWEtY3Vyc29y", "cursor"],
      [`cursor=${Buffer.from(`99999999999999999.${randomUUID()}`).toString("base64url")}`, "cursor"],
    ]) {
      const res = await call(deliveriesRoute.GET, { apiKey, params: { id: hook.id }, path: listPath(hook.id, query) });
      expect(res.status, query).toBe(400);
      expect(errorOf(res).fields?.[0]?.path).toBe(path);
    }
    const missing = await call(deliveriesRoute.GET, { apiKey, params: { id: "nosuchhook" }, path: listPath("nosuchhook") });
    expect(missing.status).toBe(404);
  });
});

describe("GET /api/hooks/:id/deliveries/:deliveryId (details)", () => {
  it("shows the request and response with secrets redacted, even in rows recorded unredacted", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const row = await seed(hook.id, {
      requestBody: '{"hookId":"x","event":"User.Created","data":{"id":"u1"}}',
      requestHeaders: {
        "content-type": "application/json",
        authorization: "Bearer abc",
        "x-api-key": "k-123",
        "logto-signature-sha-256": "deadbeef",
        "webhook-id": "msg_1",
      },
      responseHeaders: { "set-cookie": "sid=1", "content-type": "text/plain" },
      responseBody: "ok",
    });
    const res = await call(detailsRoute.GET, { session, params: { id: hook.id, deliveryId: row.id }, path: "/api/hooks/x/deliveries/y" });
    expect(res.status).toBe(200);
    const details = bodyOf(res, deliveryDetailsSchema);
    expect(details.requestHeaders).toEqual({
      "content-type": "application/json",
      authorization: "[redacted]",
      "x-api-key": "[redacted]",
      "logto-signature-sha-256": "deadbeef", // a signature is not a credential
      "webhook-id": "msg_1",
    });
    expect(details.responseHeaders).toEqual({ "set-cookie": "[redacted]", "content-type": "text/plain" });
    expect(details.requestBody).toBe('{"hookId":"x","event":"User.Created","data":{"id":"u1"}}');
    expect(details).toMatchObject({
      id: row.id,
      responseStatus: 200,
      responseBody: "ok",
      attemptLog: [],
      requestUrl: "https://hooks.example.com/in",
    });
    // \b: "abc" also turns up inside a random id's hex (run 2 of the five, 18:20).
    expect(res.text).not.toMatch(/\babc\b|k-123|sid=1/);
  });

  it("keeps a custom secret header out of a real delivery's log", async () => {
    const endpoint = await startReceiver([{ status: 200, body: "thanks" }]);
    receivers.push(endpoint);
    const hook = await createTestHook({ url: endpoint.url, headers: [{ key: "X-Auth-Token", value: "receiver-secret-42" }] });
    await emit(ctx, { event: "User.Created", data: { id: "u1" } });
    await deliverAll();
    const row = first(await db.delivery.findMany({ where: { hookId: hook.id } }));
    const res = await call(detailsRoute.GET, { apiKey, params: { id: hook.id, deliveryId: row.id }, path: "/x" });
    const details = bodyOf(res, deliveryDetailsSchema);
    expect(endpoint.requests[0]?.headers["x-auth-token"]).toBe("receiver-secret-42");
    expect(details.requestHeaders?.["x-auth-token"]).toBe("[redacted]");
    expect(details.attemptLog).toHaveLength(1);
    expect(details.attemptLog[0]).toMatchObject({ status: 200, error: null });
    expect(details).toMatchObject({ status: "succeeded", attempts: 1, responseStatus: 200, responseBody: "thanks" });
    expect(res.text).not.toContain("receiver-secret-42");
  });

  it("answers 404 for another hook's delivery, an unknown id and a malformed id", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/a" });
    const other = await createTestHook({ url: "https://hooks.example.com/b" });
    const theirs = await seed(other.id);
    for (const deliveryId of [theirs.id, randomUUID(), "not-a-uuid"]) {
      const res = await call(detailsRoute.GET, { apiKey, params: { id: hook.id, deliveryId }, path: "/x" });
      expect(res.status, deliveryId).toBe(404);
      expect(errorOf(res).code).toBe("not_found");
    }
    const resend = await call(resendRoute.POST, { method: "POST", apiKey, params: { id: hook.id, deliveryId: theirs.id }, path: "/x" });
    expect(resend.status).toBe(404);
    expect(await db.delivery.count()).toBe(1);
  });
});

/** Bounded worker passes until nothing is pending. */
async function deliverAll() {
  const sender = createSender({ allowLocal: true, timeoutMs: 2_000 });
  try {
    for (let pass = 0; pass < 20; pass++) {
      await processDueDeliveries({ deadlineMs: 2_000, sender, schedule: { delaysMs: [10, 10, 10], jitter: 0, retryAfterCapMs: 10 } });
      if ((await db.delivery.count({ where: { status: "pending" } })) === 0) return;
    }
    throw new Error("Deliveries still pending.");
  } finally {
    await sender.close();
  }
}

describe("POST /api/hooks/:id/deliveries/:deliveryId/resend", () => {
  it("queues the same payload bytes as a new entry, wakes the workers, and is signed afresh when sent", async () => {
    const endpoint = await startReceiver((_request, index) => ({ status: index === 0 ? 500 : 200 }));
    receivers.push(endpoint);
    const hook = await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: { id: "u1", name: "Ada" } });
    // The first attempt fails with 500, the retry succeeds: one entry, two attempts.
    await deliverAll();
    const original = first(await db.delivery.findMany({ where: { hookId: hook.id } }));
    expect(original).toMatchObject({ status: "succeeded", attempts: 2 });

    const listener = new pg.Client({ connectionString: ctx.databaseUrl });
    await listener.connect();
    const notified = new Promise<string>((resolve) => listener.on("notification", (message) => resolve(message.channel)));
    await listener.query(`LISTEN ${DELIVERY_CHANNEL}`);
    try {
      const res = await call(resendRoute.POST, { method: "POST", session, params: { id: hook.id, deliveryId: original.id }, path: "/x" });
      expect(res.status).toBe(201);
      const resent = bodyOf(res, deliveryDetailsSchema);
      expect(resent.id).not.toBe(original.id);
      expect(resent).toMatchObject({
        hookId: hook.id,
        event: "User.Created",
        status: "pending",
        attempts: 0,
        resendOfId: original.id,
        eventId: original.eventId,
      });
      expect(resent.requestBody).toBe(original.requestBody);
      expect(await notified).toBe(DELIVERY_CHANNEL);
    } finally {
      await listener.end();
    }

    // It shows as its own, newest entry.
    const page = await list(hook.id);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]?.resendOfId).toBe(original.id);

    await deliverAll();
    const sent = endpoint.requests.at(-1);
    const resentRow = await db.delivery.findFirstOrThrow({ where: { resendOfId: original.id } });
    expect(resentRow).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(sent?.body).toBe(original.requestBody);
    expect(sent?.headers["webhook-id"]).toBe(resentRow.id);
    expect(sent?.headers["logto-signature-sha-256"]).toBe(createHmac("sha256", hook.signingKey).update(original.requestBody).digest("hex"));
    // Signed at send time: its own message id, a current timestamp.
    expect(Number(sent?.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(Math.floor(resentRow.createdAt.getTime() / 1000));
  });

  it("refuses while the request is still being delivered, and for a disabled webhook", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const pending = await seed(hook.id, { status: "pending", attempts: 1 });
    const done = await seed(hook.id, { status: "failed", attempts: 4 });
    const busy = await call(resendRoute.POST, { method: "POST", apiKey, params: { id: hook.id, deliveryId: pending.id }, path: "/x" });
    expect(busy.status).toBe(409);
    expect(errorOf(busy).code).toBe("delivery_in_progress");

    await db.hook.update({ where: { id: hook.id }, data: { enabled: false } });
    const disabled = await call(resendRoute.POST, { method: "POST", apiKey, params: { id: hook.id, deliveryId: done.id }, path: "/x" });
    expect(disabled.status).toBe(409);
    expect(errorOf(disabled).code).toBe("hook_disabled");
    expect(await db.delivery.count()).toBe(2);
  });
});

describe("GET /api/hooks/:id/recent-logs (Logto)", () => {
  const deliveriesPath = (hookId: string, query = "") => `/api/hooks/${hookId}/recent-logs${query ? `?${query}` : ""}`;
  async function logs(hookId: string, query = "") {
    return call(recentLogsRoute.GET, { apiKey, params: { id: hookId }, path: deliveriesPath(hookId, query) });
  }

  it("answers Logto's log shape, newest first, with Total-Number and Link headers", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const ok = await seed(hook.id, {
      ageMs: 60_000,
      requestBody: '{"hookId":"h","event":"User.Created","data":{"a":1}}',
      responseBody: '{"ok":true}',
    });
    const failed = await seed(hook.id, {
      ageMs: 2 * 60_000,
      event: "Role.Created",
      status: "failed",
      attempts: 4,
      responseStatus: 500,
      responseBody: "boom",
      error: "HTTP 500",
    });
    const timedOut = await seed(hook.id, {
      ageMs: 3 * 60_000,
      status: "failed",
      attempts: 4,
      responseStatus: null,
      error: "Timed out after 10000 ms.",
    });
    await seed(hook.id, { ageMs: 10_000, status: "pending", attempts: 0 }); // queued, not yet a request
    await seed(hook.id, { ageMs: DELIVERY_WINDOW_MS + 60_000 }); // outside the default 24 h

    const res = await logs(hook.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("total-number")).toBe("3");
    expect(res.headers.get("link")).toContain('rel="first"');
    const body = bodyOf(res, z.array(logtoHookLogSchema));
    expect(body.map((log) => log.id)).toEqual([ok.id, failed.id, timedOut.id]);
    expect(body[0]).toEqual({
      id: ok.id,
      key: "TriggerHook.User.Created",
      payload: {
        key: "TriggerHook.User.Created",
        result: "Success",
        hookId: hook.id,
        hookRequest: { body: { hookId: "h", event: "User.Created", data: { a: 1 } } },
        response: { statusCode: 200, body: { ok: true } },
        status: "succeeded",
        attempts: 1,
        durationMs: null,
        resendOfId: null,
      },
      createdAt: ok.createdAt.getTime(),
    });
    expect(body[1]?.payload).toMatchObject({
      result: "Error",
      response: { statusCode: 500, body: "boom" },
      error: "HTTP 500",
      attempts: 4,
    });
    expect(at(body, 2).payload.response).toBeUndefined();
    expect(body[2]?.payload).toMatchObject({ result: "Error", error: "Timed out after 10000 ms." });
  });

  it("pages with page and page_size, filters by logKey and by start_time/end_time", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const rows: Awaited<ReturnType<typeof seed>>[] = [];
    for (let index = 0; index < 5; index++)
      rows.push(await seed(hook.id, { ageMs: (index + 1) * 60 * 60_000, event: index % 2 ? "Role.Created" : "User.Created" }));
    const old = await seed(hook.id, { ageMs: 3 * DELIVERY_WINDOW_MS });

    const second = await logs(hook.id, "page=2&page_size=2");
    expect(second.headers.get("total-number")).toBe("5");
    expect(bodyOf(second, z.array(logtoHookLogSchema)).map((log) => log.id)).toEqual([rows[2]?.id, rows[3]?.id]);
    expect(second.headers.get("link")).toContain("page=3");

    const roles = await logs(hook.id, "logKey=TriggerHook.Role.Created");
    expect(bodyOf(roles, z.array(logtoHookLogSchema)).map((log) => log.id)).toEqual([rows[1]?.id, rows[3]?.id]);
    const foreign = await logs(hook.id, "logKey=Interaction.Create");
    expect(foreign.json).toEqual([]);
    expect(foreign.headers.get("total-number")).toBe("0");

    // An explicit window replaces the default 24 h, in either direction.
    const start = old.createdAt.getTime() - 1;
    const windowed = await logs(hook.id, `start_time=${start}&end_time=${rows[3]?.createdAt.getTime()}`);
    expect(bodyOf(windowed, z.array(logtoHookLogSchema)).map((log) => log.id)).toEqual([rows[3]?.id, rows[4]?.id, old.id]);
    const onlyEnd = await logs(hook.id, `end_time=${rows[4]?.createdAt.getTime()}`);
    expect(bodyOf(onlyEnd, z.array(logtoHookLogSchema)).map((log) => log.id)).toEqual([rows[4]?.id, old.id]);
  });

  it("rejects bad paging and windows, and unknown hooks", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    for (const query of ["page=0", "page=1e9", "page_size=101", "start_time=abc", "start_time=1e20", "start_time=10&end_time=5"]) {
      expect((await logs(hook.id, query)).status, query).toBe(400);
    }
    expect((await logs("nosuchhook")).status).toBe(404);
  });
});

describe("authentication", () => {
  it("requires a session or an API key on every log route", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    const row = await seed(hook.id, { status: "failed" });
    const params = { id: hook.id, deliveryId: row.id };
    expect((await call(deliveriesRoute.GET, { params, path: "/x" })).status).toBe(401);
    expect((await call(detailsRoute.GET, { params, path: "/x" })).status).toBe(401);
    expect((await call(resendRoute.POST, { method: "POST", params, path: "/x" })).status).toBe(401);
    expect((await call(recentLogsRoute.GET, { params, path: "/x" })).status).toBe(401);
    expect((await call(resendRoute.POST, { method: "POST", params, path: "/x", apiKey: "wc_not-a-real-key-000000000000" })).status).toBe(
      401,
    );
    // A cookie session from another site may not resend (the same-origin rule for mutations).
    const crossSite = await call(resendRoute.POST, {
      method: "POST",
      params,
      path: "/x",
      session,
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    expect(await db.delivery.count()).toBe(1);
  });
});
