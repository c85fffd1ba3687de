// Logto compatibility, written from Logto's documented behaviour and its management API's
// contract (issue 12): what a client written against Logto's /api/hooks sees from this server.
// Each block names the point of the issue it covers.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, beforeEach } from "vitest";
import { z } from "zod";
import { acceptedEventSchema } from "@/lib/events/schemas";
import { logtoHookLogSchema, deliveryPageSchema } from "@/lib/deliveries/schemas";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import * as eventsRoute from "@/app/api/events/route";
import * as deliveriesRoute from "@/app/api/hooks/[id]/deliveries/route";
import * as recentLogsRoute from "@/app/api/hooks/[id]/recent-logs/route";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import * as signingKeyRoute from "@/app/api/hooks/[id]/signing-key/route";
import * as testRoute from "@/app/api/hooks/[id]/test/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { db } from "@/lib/testing/context";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call } from "@/lib/testing/http";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { resetDatabase } from "@/lib/testing/reset";
import { startReceiver, type Receiver, type Script } from "@/lib/testing/receiver";
import { waitFor } from "@/lib/testing/wait";
import { createSender, type Sender } from "@/lib/delivery/http";
import type { RetrySchedule } from "@/lib/delivery/retry";
import { processDueDeliveries } from "@/lib/delivery/worker";

// A body read loosely (an object, every field kept): these checks compare Logto-shaped values field by field.
const looseObject = z.record(z.string(), z.unknown());
const json = (res: { json: unknown }) => looseObject.parse(res.json);
/** A request body the receiver got, as JSON. */
const sentJson = (body: string) => looseObject.parse(JSON.parse(body));

let apiKey: string;

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey } = await signedInAdmin());
});

const FAST: RetrySchedule = { delaysMs: [20, 20, 20], jitter: 0, retryAfterCapMs: 100 };
const open: { receivers: Receiver[]; senders: Sender[] } = { receivers: [], senders: [] };

afterEach(async () => {
  await Promise.all([...open.receivers.map((r) => r.close()), ...open.senders.map((s) => s.close())]);
  open.receivers = [];
  open.senders = [];
});

async function receiver(script?: Script) {
  const started = await startReceiver(script);
  open.receivers.push(started);
  return started;
}

/** Delivers everything due, as the worker would, until nothing is pending. */
async function deliverAll() {
  const sender = createSender({ allowLocal: true, timeoutMs: 2_000 });
  open.senders.push(sender);
  await waitFor(async () => {
    await processDueDeliveries({ deadlineMs: 3_000, sender, schedule: FAST });
    return (await db.delivery.count({ where: { status: "pending" } })) === 0;
  });
}

/** POST /api/hooks as Logto's management client sends it; the created hook's JSON. */
async function createHook(body: Record<string, unknown>) {
  const res = await call(hooksRoute.POST, { apiKey, body });
  expect(res.status, res.text).toBe(201);
  // Every field kept (these tests compare it whole to later answers), the id typed.
  return z.looseObject({ id: z.string() }).parse(res.json);
}

const postEvent = (body: Record<string, unknown>) => call(eventsRoute.POST, { apiKey, body });

describe("6. ingestion while hooks are being deleted", () => {
  it("accepts every event and delivers to the hooks that still exist (300 races, 0 errors)", async () => {
    const survivor = await createTestHook({ url: "https://survivor.example.com/hook" });
    const RACES = 300;
    const PARALLEL = 10;
    const statuses: number[] = [];
    const eventIds: string[] = [];
    for (let round = 0; round < RACES / PARALLEL; round++) {
      const victims = await Promise.all(Array.from({ length: PARALLEL }, () => createTestHook({ url: "https://victim.example.com/hook" })));
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
      data: {
        id: randomUUID(),
        hookId,
        event: "User.Created",
        requestBody: "{}",
        status,
        attempts,
        responseStatus: attempts ? 503 : null,
        createdAt: new Date(Date.now() - ageMs),
      },
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
    expect(bodyOf(logs, z.array(logtoHookLogSchema)).map((log) => [log.id, log.payload.result])).toEqual([
      [failed.id, "Error"],
      [ok.id, "Success"],
    ]);
    expect(logs.headers.get("total-number")).toBe("2");

    const one = await call(hookRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}?includeExecutionStats=true` });
    expect(json(one).executionStats).toEqual({ requestCount: 2, successCount: 1 });
    const list = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?includeExecutionStats=true" });
    expect(bodyOf(list, z.array(hookOutputSchema))[0]?.executionStats).toEqual({ requestCount: 2, successCount: 1 });

    // Our own view keeps every request, the unfinished ones as such.
    const table = await call(deliveriesRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}/deliveries` });
    const { items } = bodyOf(table, deliveryPageSchema);
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
    const bad = await call(hooksRoute.POST, {
      apiKey,
      body: { name: "x", events: ["User.Exploded"], config: { url: "https://a.example.com" } },
    });
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
    expect([read.status, json(read).code, json(read).message]).toEqual([
      404,
      "entity.not_exists_with_id",
      `The hooks with ID \`${missing}\` does not exist.`,
    ]);
    const test = await call(testRoute.POST, {
      apiKey,
      params,
      body: { events: ["User.Created"], config: { url: "https://a.example.com" } },
    });
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
  it('name is optional ("" by default) and an update keeps toMatchObject(created) true: no updatedAt', async () => {
    const created = await call(hooksRoute.POST, {
      apiKey,
      body: { events: ["User.Created"], config: { url: "https://a.example.com/hook" } },
    });
    expect(created.status).toBe(201);
    expect(json(created).name).toBe("");
    expect(json(created)).not.toHaveProperty("updatedAt");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { id } = bodyOf(created, hookOutputSchema);
    const updated = await call(hookRoute.PATCH, { apiKey, params: { id }, method: "PATCH", body: { enabled: true } });
    expect(updated.status).toBe(200);
    expect(json(updated)).toMatchObject(json(created));
    const fetched = await call(hookRoute.GET, { apiKey, params: { id } });
    expect(json(fetched)).toMatchObject(json(created));
  });
});

describe("2. Logto's legacy `event` and `config.retries`: echoed as given, and honoured", () => {
  it("Logto's original API: created with `event` and `config.retries`, read back and updated unchanged", async () => {
    const url = (await receiver()).url;
    const payload = { event: "PostRegister", config: { url, retries: 2 } };
    const created = await createHook(payload);
    expect(created).toMatchObject(payload);
    // Logto stores `events` as given: empty, the legacy event stands on its own.
    expect(created).toMatchObject({ event: "PostRegister", events: [], name: "", config: { url, retries: 2 } });

    const list = await call(hooksRoute.GET, { apiKey });
    expect(list.json).toContainEqual(created);
    const read = await call(hookRoute.GET, { apiKey, params: { id: created.id } });
    expect(read.json).toEqual(created);
    const updated = await call(hookRoute.PATCH, { apiKey, method: "PATCH", params: { id: created.id }, body: { event: "PostSignIn" } });
    expect(updated.status).toBe(200);
    expect(json(updated)).toMatchObject({ ...created, event: "PostSignIn" });
  });

  it("`config.retries` appears only when given; a new `config` replaces it; `event: null` clears the legacy event", async () => {
    const url = (await receiver()).url;
    const plain = await createHook({ events: ["User.Created"], config: { url } });
    expect(plain.event).toBeNull();
    expect(plain.config).not.toHaveProperty("retries");

    const legacy = await createHook({ name: "legacy", event: "User.Created", events: ["User.Deleted"], config: { url, retries: 0 } });
    expect(legacy).toMatchObject({ event: "User.Created", events: ["User.Deleted"], config: { retries: 0 } });
    const { id } = legacy;
    const replaced = await call(hookRoute.PATCH, { apiKey, method: "PATCH", params: { id }, body: { config: { url } } });
    expect(json(replaced).config).toEqual({ url, headers: {} });
    const cleared = await call(hookRoute.PATCH, { apiKey, method: "PATCH", params: { id }, body: { event: null } });
    expect(json(cleared)).toMatchObject({ event: null, events: ["User.Deleted"] });
  });

  it("refuses what Logto refuses: an empty name, retries outside 0-3, an unknown legacy event", async () => {
    const url = "https://a.example.com/hook";
    const cases = [
      { name: "", events: ["User.Created"], config: { url } },
      { events: ["User.Created"], config: { url, retries: 4 } },
      { events: ["User.Created"], config: { url, retries: -1 } },
      { event: "User.Exploded", config: { url } },
      { event: null, config: { url } },
    ];
    for (const body of cases) {
      const res = await call(hooksRoute.POST, { apiKey, body });
      expect([res.status, json(res).code], JSON.stringify(body)).toEqual([400, "guard.invalid_input"]);
    }
    expect(await db.hook.count()).toBe(0);
  });

  it("a hook with only the legacy `event` is subscribed to it; with `events`, the legacy event no longer counts (as Logto)", async () => {
    const legacyOnly = await receiver();
    const both = await receiver();
    const a = await createHook({ event: "PostRegister", config: { url: legacyOnly.url } });
    const b = await createHook({ event: "PostRegister", events: ["User.Created"], config: { url: both.url } });

    const registered = await postEvent({ event: "PostRegister", context: { userId: "u1" } });
    expect(json(registered).queued).toBe(1);
    const created = await postEvent({ event: "User.Created", data: { id: "u1" } });
    expect(json(created).queued).toBe(1);
    await deliverAll();
    expect(legacyOnly.requests.map((r) => sentJson(r.body))).toEqual([expect.objectContaining({ hookId: a.id, event: "PostRegister" })]);
    expect(both.requests.map((r) => sentJson(r.body))).toEqual([expect.objectContaining({ hookId: b.id, event: "User.Created" })]);

    // The console shows (and saves) what the hook is subscribed to.
    const listed = await call(hooksRoute.GET, { apiKey });
    expect(bodyOf(listed, z.array(hookOutputSchema)).find((hook) => hook.id === a.id)).toMatchObject({ event: "PostRegister", events: [] });
  });

  it("`config.retries` bounds the attempts of that hook's deliveries: 0 -> 1, 1 -> 2, not given -> 4", async () => {
    const failing: Script = [{ status: 503 }];
    const endpoints = { zero: await receiver(failing), one: await receiver(failing), unset: await receiver(failing) };
    const zero = await createHook({ events: ["User.Created"], config: { url: endpoints.zero.url, retries: 0 } });
    const one = await createHook({ events: ["User.Created"], config: { url: endpoints.one.url, retries: 1 } });
    const unset = await createHook({ events: ["User.Created"], config: { url: endpoints.unset.url } });
    expect(json(await postEvent({ event: "User.Created", data: { id: "u1" } })).queued).toBe(3);
    await deliverAll();

    expect([endpoints.zero.requests.length, endpoints.one.requests.length, endpoints.unset.requests.length]).toEqual([1, 2, 4]);
    const rows = await db.delivery.findMany({ select: { hookId: true, status: true, attempts: true } });
    const byHook = Object.fromEntries(rows.map((row) => [row.hookId, [row.status, row.attempts]]));
    expect(byHook).toEqual({ [zero.id]: ["failed", 1], [one.id]: ["failed", 2], [unset.id]: ["failed", 4] });
  }, 30_000);
});

describe("4. Every field of Logto's payloads goes through /api/events and arrives where Logto puts it", () => {
  const user = {
    id: "u1",
    username: "zoe",
    primaryEmail: "zoe@example.com",
    name: "Zoë",
    customData: {},
    identities: {},
    isSuspended: false,
  };
  const application = { id: "app1", type: "SPA", name: "Web", description: null };
  const request = {
    userAgent: "Mozilla/5.0",
    ip: "203.0.113.9",
    path: "/api/organizations/o1/users",
    method: "POST",
    status: 201,
    params: { id: "o1" },
    matchedRoute: "/organizations/:id/users",
  };
  // One event per kind Logto sends, with every field Logto's payload for it carries.
  const cases: { event: string; context: Record<string, unknown>; data?: unknown }[] = [
    {
      event: "PostSignIn",
      context: {
        interactionEvent: "SignIn",
        sessionId: "s1",
        userAgent: "Mozilla/5.0",
        userId: "u1",
        userIp: "198.51.100.7",
        user,
        application,
        cimdClientId: "https://client.example.com/metadata.json",
      },
    },
    {
      event: "PostSignInAdaptiveMfaTriggered",
      context: {
        interactionEvent: "SignIn",
        sessionId: "s1",
        userId: "u1",
        userIp: "198.51.100.7",
        adaptiveMfaResult: { requiresMfa: true, triggeredRules: [{ rule: "new_country" }] },
      },
    },
    { event: "PostResetPassword", context: { interactionEvent: "ForgotPassword", sessionId: "s2", userId: "u1", user } },
    // A data event caused by an interaction carries the session's metadata too.
    {
      event: "User.Created",
      context: {
        interactionEvent: "Register",
        sessionId: "s3",
        applicationId: "app1",
        application,
        userAgent: "Mozilla/5.0",
        ip: "203.0.113.9",
      },
      data: user,
    },
    { event: "User.Data.Updated", context: request, data: user },
    { event: "Role.Scopes.Updated", context: { ...request, roleId: "r1" }, data: [{ id: "sc1", name: "read:all" }] },
    { event: "OrganizationRole.Scopes.Updated", context: { ...request, organizationRoleId: "or1" } },
    {
      event: "Organization.Membership.Updated",
      context: {
        ...request,
        organizationId: "o1",
        addedUserIds: ["u1", "u2"],
        removedUserIds: ["u3"],
        addedApplicationIds: ["app1"],
        removedApplicationIds: ["app2"],
      },
    },
    {
      event: "Identifier.Lockout",
      context: { ...request, type: "email", value: "zoe@example.com", interactionEvent: "SignIn", sessionId: "s4" },
    },
    { event: "Message.RateLimited", context: { ...request, action: "VerificationCode.Send", recipient: "+15550100" } },
    {
      event: "Grant.LimitExceeded",
      context: {
        userAgent: "Mozilla/5.0",
        ip: "203.0.113.9",
        application,
        userId: "u1",
        applicationId: "app1",
        revokedGrantIds: ["g1", "g2"],
        maxAllowedGrants: 5,
        preRevocationActiveGrantCount: 7,
      },
    },
  ];

  it("each event's fields, with their values and types, at the payload's top level", async () => {
    const endpoint = await receiver();
    const hook = await createHook({ events: cases.map((c) => c.event), config: { url: endpoint.url } });
    for (const { event, context, data } of cases) {
      const res = await postEvent({ event, context, ...(data !== undefined ? { data } : {}) });
      expect(res.status, `${event}: ${res.text}`).toBe(202);
    }
    await deliverAll();
    const bodies = new Map(
      endpoint.requests.map((r) => {
        const body = sentJson(r.body);
        return [body.event, body];
      }),
    );
    for (const { event, context, data } of cases) {
      const body = bodies.get(event);
      expect(body, event).toEqual({
        hookId: hook.id,
        event,
        createdAt: expect.any(String),
        ...context,
        ...(data !== undefined ? { data } : {}),
      });
      expect(new Date(z.string().parse(body?.createdAt)).toISOString()).toBe(body?.createdAt);
    }
  }, 30_000);

  it("a field no Logto payload of that event carries is refused with a 400 naming it, and nothing is stored; the first release's fields stay accepted on every event", async () => {
    await createHook({ events: ["User.Created", "PostSignIn"], config: { url: "https://a.example.com/hook" } });
    const cases: { body: Record<string, unknown>; path: string; message: string }[] = [
      {
        body: { event: "User.Created", context: { nickname: "z" } },
        path: "context.nickname",
        message: 'Logto\'s "User.Created" payload has no "nickname" field.',
      },
      {
        body: { event: "User.Created", context: { addedUserIds: ["u1"] } },
        path: "context.addedUserIds",
        message: 'Logto\'s "User.Created" payload has no "addedUserIds" field.',
      },
      {
        body: { event: "PostSignIn", context: { roleId: "r1" } },
        path: "context.roleId",
        message: 'Logto\'s "PostSignIn" payload has no "roleId" field.',
      },
      {
        body: { event: "User.Created", context: { hookId: "h" } },
        path: "context.hookId",
        message: '"hookId" is set by the webhook service; leave it out of the context.',
      },
    ];
    for (const { body, path, message } of cases) {
      const res = await postEvent(body);
      expect([res.status, json(res).code]).toEqual([400, "validation_failed"]);
      expect(json(res).fields).toEqual([{ path, message }]);
    }
    // A known field of the wrong type is a malformed body, as before.
    const wrongType = await postEvent({ event: "Organization.Membership.Updated", context: { addedUserIds: "u1" } });
    expect([wrongType.status, json(wrongType).code]).toEqual([400, "validation_failed"]);
    expect(await db.event.count()).toBe(0);

    // Valid before Logto's per-event lists existed, so still valid: a request's ip on a sign-in,
    // the user's id on a data event.
    for (const body of [
      { event: "PostSignIn", context: { ip: "203.0.113.9" } },
      { event: "User.Created", data: {}, context: { userId: "u1" } },
    ]) {
      expect((await postEvent(body)).status).toBe(202);
    }
    expect(await db.event.count()).toBe(2);
  });

  it("Send test payload: a security event gets the data events' sample, the sample user Logto's cimdClientId", async () => {
    // The data-event sample itself is checked in lib/delivery/test-payload.test.ts.
    const endpoint = await receiver();
    const hook = await createHook({ events: ["PostRegister"], config: { url: endpoint.url } });
    const res = await call(testRoute.POST, {
      apiKey,
      params: { id: hook.id },
      body: { events: ["PostRegister", "User.Created", "Grant.LimitExceeded"], config: { url: endpoint.url } },
    });
    expect(res.status).toBe(204);
    const byEvent = new Map(
      endpoint.requests.map((r) => {
        const { event, createdAt: _createdAt, ...rest } = sentJson(r.body);
        return [event, rest];
      }),
    );
    expect(byEvent.get("Grant.LimitExceeded")).toEqual(byEvent.get("User.Created"));
    expect(byEvent.get("PostRegister")?.user).toMatchObject({ id: "fake-id", cimdClientId: null });
  });
});
