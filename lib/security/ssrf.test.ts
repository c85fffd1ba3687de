// SSRF: every vector in ssrf-vectors.ts is refused when a hook is saved (POST and PATCH) and again
// when something is sent (the test-payload route, and the worker for stored hooks, including a name
// that resolved publicly at save time and privately at send time). With ALLOW_LOCAL_ENDPOINTS off,
// as in production. The network fence serves the DNS answers and records every connect attempt:
// the product's guard must refuse before any connection, so the fence must never see one.
import { beforeAll, describe, expect, it } from "vitest";
import { first } from "@/lib/assert";
import { hookOutputSchema, testPayloadResultsSchema } from "@/lib/hooks/schemas";
import * as cronRoute from "@/app/api/cron/deliver/route";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import * as testRoute from "@/app/api/hooks/[id]/test/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { ctx, db } from "@/lib/testing/context";
import { emit } from "@/lib/events/service";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call, errorOf } from "@/lib/testing/http";
import { fencedSuite } from "@/lib/testing/fenced-suite";
import type { NetworkFence } from "@/lib/testing/network-fence";
import type { Receiver } from "@/lib/testing/receiver";
import { loadVectorDns, ssrfVectors, type SsrfVector } from "./ssrf-vectors";

const CRON_SECRET = "ssrf-suite-cron-secret";
const PUBLIC_IP = "93.184.215.14";
/** What the sender says when its policy, not the network, stopped a request. */
const REFUSED = /must use https|not a valid URL|must not contain credentials|Refused to connect/;

let fence: NetworkFence;
let receiver: Receiver;
let vectors: SsrfVector[];
let apiKey: string;

const hookBody = (url: string) => ({ name: "SSRF probe", events: ["User.Created"], config: { url } });

/** One pass of the cron route, which runs the production worker engine and sender. */
async function runCron() {
  const res = await call(cronRoute.POST, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(res.status).toBe(200);
}

const suite = fencedSuite({ allowLocalEndpoints: false, cronSecret: CRON_SECRET });
beforeAll(() => {
  ({ fence, receiver, apiKey } = suite);
  vectors = ssrfVectors(receiver.port);
  loadVectorDns(fence.records, vectors);
  fence.records.set("public.example", [PUBLIC_IP]);
});

describe("SSRF vectors", () => {
  it("are at least 25, and distinct", () => {
    expect(vectors.length).toBeGreaterThanOrEqual(25);
    expect(new Set(vectors.map((vector) => vector.url)).size).toBe(vectors.length);
  });
});

describe("refused on save", () => {
  it("POST /api/hooks answers 400 on config.url for every vector and stores nothing", async () => {
    for (const vector of vectors) {
      const res = await call(hooksRoute.POST, { apiKey, body: hookBody(vector.url) });
      const fields = errorOf(res).fields ?? [];
      expect({
        vector: vector.label,
        status: res.status,
        code: errorOf(res).code,
        onUrl: fields.some((f) => f.path === "config.url"),
      }).toEqual({
        vector: vector.label,
        status: 400,
        code: "guard.invalid_input",
        onUrl: true,
      });
    }
    expect(await db.hook.count()).toBe(0);
  });

  it("PATCH /api/hooks/:id answers 400 on config.url for every vector and keeps the old URL", async () => {
    const created = await call(hooksRoute.POST, { apiKey, body: hookBody("https://public.example/hook") });
    expect(created.status).toBe(201);
    const id = bodyOf(created, hookOutputSchema).id;
    for (const vector of vectors) {
      const res = await call(hookRoute.PATCH, { apiKey, method: "PATCH", params: { id }, body: { config: { url: vector.url } } });
      const fields = errorOf(res).fields ?? [];
      expect({ vector: vector.label, status: res.status, onUrl: fields.some((f) => f.path === "config.url") }).toEqual({
        vector: vector.label,
        status: 400,
        onUrl: true,
      });
    }
    expect(await db.hook.findUniqueOrThrow({ where: { id } })).toMatchObject({ url: "https://public.example/hook" });
    await db.hook.deleteMany();
  });

  it("no connection was attempted", () => {
    expect(fence.refused()).toEqual([]);
    expect(fence.attemptsToPort(receiver.port)).toEqual([]);
  });
});

describe("refused on send", () => {
  it("the test-payload route sends nothing to any vector (400 by the schema, 422 by the connect-time guard)", async () => {
    const hook = await createTestHook({ url: "https://public.example/hook" });
    for (const vector of vectors) {
      const res = await call(testRoute.POST, {
        apiKey,
        path: `/api/hooks/${hook.id}/test?details=true`,
        params: { id: hook.id },
        body: { events: ["User.Created"], config: { url: vector.url } },
      });
      if (res.status === 200) {
        // Accepted by the schema (a DNS name): the result must be the guard's refusal.
        const result = first(bodyOf(res, testPayloadResultsSchema).results);
        expect({ vector: vector.label, ok: result.ok, status: result.status }).toEqual({ vector: vector.label, ok: false, status: null });
        expect(result.error).toMatch(/Refused to connect/);
      } else {
        expect({ vector: vector.label, status: res.status }).toEqual({ vector: vector.label, status: 400 });
      }
    }
    expect(fence.refused()).toEqual([]);
    expect(fence.attemptsToPort(receiver.port)).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it("the worker refuses every stored vector after one attempt and never connects", async () => {
    // Written straight to the table: rows saved before a policy change, or by other means.
    await db.hook.deleteMany();
    for (const vector of vectors) await createTestHook({ url: vector.url, name: vector.label });
    await emit(ctx, { event: "User.Created", data: { probe: true } });
    await runCron();
    const rows = await db.delivery.findMany({ include: { hook: { select: { name: true } } } });
    expect(rows).toHaveLength(vectors.length);
    for (const row of rows) {
      expect({ vector: row.hook.name, status: row.status, attempts: row.attempts, responseStatus: row.responseStatus }).toEqual({
        vector: row.hook.name,
        status: "failed",
        attempts: 1,
        responseStatus: null,
      });
      expect({ vector: row.hook.name, error: row.error }).toEqual({ vector: row.hook.name, error: expect.stringMatching(REFUSED) });
    }
    expect(fence.refused()).toEqual([]);
    expect(fence.attemptsToPort(receiver.port)).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });

  it("DNS rebinding: a name public at save time and private at send time is refused at connect time", async () => {
    await db.hook.deleteMany();
    const url = `https://rebind.example:${receiver.port}/hook`;
    fence.records.set("rebind.example", [PUBLIC_IP]);
    const created = await call(hooksRoute.POST, { apiKey, body: hookBody(url) });
    expect(created.status).toBe(201);
    const id = bodyOf(created, hookOutputSchema).id;

    for (const inside of ["127.0.0.1", "169.254.169.254", "10.1.2.3", "::ffff:192.168.0.1", "fd00:ec2::254"]) {
      fence.records.set("rebind.example", [inside]);
      await emit(ctx, { event: "User.Created", data: { inside } });
      await runCron();
      const test = await call(testRoute.POST, { apiKey, params: { id }, body: { events: ["User.Created"], config: { url } } });
      expect({ inside, status: test.status, code: errorOf(test).code }).toEqual({
        inside,
        status: 422,
        code: "hook.send_test_payload_failed",
      });
      expect(errorOf(test).message).toMatch(/Refused to connect to rebind\.example/);
    }
    const rows = await db.delivery.findMany({ where: { hookId: id } });
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toMatchObject({ status: "failed", attempts: 1, responseStatus: null });
      expect(row.error).toMatch(/Refused to connect to rebind\.example: resolves to a/);
    }
    expect(fence.refused()).toEqual([]);
    expect(fence.attemptsToPort(receiver.port)).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });
});
