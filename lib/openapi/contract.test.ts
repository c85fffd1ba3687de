// The document against the real routes: every operation is called on a real database, with a real
// receiver, until each of its documented non-error answers has been seen, and every answer (errors
// included) must match the document's schema for its status. A route that answers a field, a status
// or a body the document does not describe fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, configure } from "@/lib/testing/context";
import { z } from "zod";
import { createdApiKeySchema } from "@/lib/api-keys/schemas";
import { deliveryPageSchema } from "@/lib/deliveries/schemas";
import { bodyOf, sessionFromCookie, type CallOptions, type CallResult, call } from "@/lib/testing/http";
import { contractProblems, documentedAnswers } from "@/lib/testing/contract";
import { startReceiver, type Receiver } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { apiRouteFiles, routeHandlers, type RouteHandler } from "@/lib/testing/routes";
import { openApiDocument } from "./document";

const CRON_SECRET = "cron-secret-for-the-contract-sweep";

let receiver: Receiver;
let failing: Receiver;
const handlers = new Map<string, RouteHandler>();
const seen = new Set<string>();
const problems: string[] = [];

/** Calls a route like Next would, checks the answer against the document, and records what was seen. */
async function request(
  method: string,
  urlPath: string,
  options: CallOptions<Record<string, string>> & { query?: string } = {},
): Promise<CallResult<unknown>> {
  const handler = handlers.get(`${method} ${urlPath}`);
  if (!handler) throw new Error(`no route ${method} ${urlPath}`);
  const concrete = urlPath.replace(/\[(\w+)\]/g, (_m, name: string) => options.params?.[name] ?? name);
  const res = await call(handler, { method, ...options, path: `${concrete}${options.query ?? ""}` });
  problems.push(...contractProblems(method, urlPath, res));
  seen.add(`${method} ${urlPath.replace(/\[(\w+)\]/g, "{$1}")} ${res.status}`);
  return res;
}

const idOf = (res: CallResult<unknown>) => bodyOf(res, z.looseObject({ id: z.string() })).id;

beforeAll(async () => {
  await resetDatabase();
  configure({ CRON_SECRET: CRON_SECRET });
  for (const route of apiRouteFiles()) {
    for (const [method, handler] of Object.entries(await routeHandlers(route))) handlers.set(`${method} ${route.urlPath}`, handler);
  }
  receiver = await startReceiver([{ status: 200, body: "ok" }]);
  failing = await startReceiver([{ status: 500, body: "down" }]);
});

afterAll(async () => {
  configure({ CRON_SECRET: undefined });
  await Promise.all([receiver.close(), failing.close()]);
});

describe("the OpenAPI document matches what the routes answer", () => {
  it("documents every answer of every route, errors included", async () => {
    const json = (body: unknown) => ({ body });
    // Public: liveness, readiness, the document, the first admin, sign-in.
    await request("GET", "/api/health");
    await request("GET", "/api/health/ready");
    await request("GET", "/api/openapi.json");
    await request("POST", "/api/auth/sign-in", json({ email: "admin@example.com", password: "correct horse battery" }));
    const setup = await request("POST", "/api/auth/setup", json({ email: "admin@example.com", password: "correct horse battery" }));
    await request("POST", "/api/auth/setup", json({ email: "other@example.com", password: "correct horse battery" }));
    await request("POST", "/api/auth/setup", json({ email: "not-an-email", password: "x" }));
    const signIn = await request("POST", "/api/auth/sign-in", json({ email: "admin@example.com", password: "correct horse battery" }));
    const session = sessionFromCookie(setup.headers.get("set-cookie")) ?? "";
    expect(sessionFromCookie(signIn.headers.get("set-cookie"))).toBeTruthy();

    // Keys: a session creates them; an API key may not.
    const created = await request("POST", "/api/api-keys", { session, body: { name: "sweep", scope: "admin" } });
    const apiKey = bodyOf(created, createdApiKeySchema).key;
    const ingest = await request("POST", "/api/api-keys", { session, body: { name: "ingest", scope: "ingest" } });
    const ingestKey = bodyOf(ingest, createdApiKeySchema).key;
    await request("POST", "/api/api-keys", { apiKey, body: { name: "refused" } });
    await request("GET", "/api/api-keys", { apiKey });
    await request("GET", "/api/auth/me", { apiKey });
    await request("GET", "/api/auth/me", { session });
    await request("GET", "/api/config", { apiKey: ingestKey });
    await request("GET", "/api/config", { apiKey });

    // Webhooks (Logto's routes, Logto's error bodies).
    const hook = await request("POST", "/api/hooks", {
      apiKey,
      body: { name: "Sweep", events: ["User.Created"], config: { url: receiver.url } },
    });
    const hookId = idOf(hook);
    const down = await request("POST", "/api/hooks", {
      apiKey,
      body: { name: "Down", events: ["User.Created"], config: { url: failing.url } },
    });
    const downId = idOf(down);
    await request("POST", "/api/hooks", { apiKey, body: { events: [], config: { url: "ftp://x" } } });
    await request("POST", "/api/hooks", { apiKey, rawBody: "{not json" });
    await request("GET", "/api/hooks", { apiKey });
    await request("GET", "/api/hooks", { apiKey, query: "?page=1&page_size=1&includeExecutionStats=true" });
    await request("GET", "/api/hooks", { apiKey, query: "?page=0" });
    await request("GET", "/api/hooks/[id]", { apiKey, params: { id: hookId }, query: "?includeExecutionStats=true" });
    await request("GET", "/api/hooks/[id]", { apiKey, params: { id: "x".repeat(21) } });
    await request("PATCH", "/api/hooks/[id]", { apiKey, params: { id: hookId }, body: { name: "Sweep 2" } });
    await request("PATCH", "/api/hooks/[id]", { apiKey, params: { id: "x".repeat(21) }, body: { name: "Nope" } });
    await request("PATCH", "/api/hooks/[id]/signing-key", { apiKey, params: { id: hookId }, body: {} });
    await request("POST", "/api/hooks/[id]/test", {
      apiKey,
      params: { id: hookId },
      body: { events: ["User.Created"], config: { url: receiver.url } },
    });
    await request("POST", "/api/hooks/[id]/test", {
      apiKey,
      params: { id: hookId },
      query: "?details=true",
      body: { events: ["User.Created"], config: { url: receiver.url } },
    });
    await request("POST", "/api/hooks/[id]/test", {
      apiKey,
      params: { id: hookId },
      body: { events: ["User.Created"], config: { url: failing.url } },
    });

    // Events: one, a batch, an unknown event, a bad body, the wrong key.
    await request("POST", "/api/events", { apiKey: ingestKey, body: { event: "User.Created", data: { id: "u1" }, id: "sweep-1" } });
    await request("POST", "/api/events", { apiKey: ingestKey, body: { event: "User.Created", data: { id: "u1" }, id: "sweep-1" } });
    await request("POST", "/api/events/batch", { apiKey: ingestKey, body: { events: [{ event: "User.Created", data: { id: "u2" } }] } });
    await request("POST", "/api/events", { apiKey: ingestKey, body: { event: "No.Such.Event", data: {} } });
    await request("POST", "/api/events", { apiKey: ingestKey, body: { data: {} } });
    await request("POST", "/api/events", { apiKey: "whc_wrong", body: { event: "User.Created" } });
    await request("GET", "/api/hooks", { apiKey: ingestKey });

    // A delivery pass (cron) sends them: the healthy hook succeeds, the other one fails and retries.
    await request("GET", "/api/cron/deliver", { apiKey });
    await request("POST", "/api/cron/deliver", { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    await request("GET", "/api/cron/deliver", { headers: { authorization: `Bearer ${CRON_SECRET}` } });

    const page = await request("GET", "/api/hooks/[id]/deliveries", { apiKey, params: { id: hookId } });
    await request("GET", "/api/hooks/[id]/deliveries", { apiKey, params: { id: hookId }, query: "?result=nonsense" });
    const deliveryId = bodyOf(page, deliveryPageSchema).items[0]?.id ?? "";
    expect(deliveryId).not.toBe("");
    await request("GET", "/api/hooks/[id]/deliveries/[deliveryId]", { apiKey, params: { id: hookId, deliveryId } });
    await request("GET", "/api/hooks/[id]/deliveries/[deliveryId]", {
      apiKey,
      params: { id: hookId, deliveryId: "00000000-0000-4000-8000-000000000000" },
    });
    await request("POST", "/api/hooks/[id]/deliveries/[deliveryId]/resend", { apiKey, params: { id: hookId, deliveryId } });
    await request("GET", "/api/hooks/[id]/recent-logs", { apiKey, params: { id: hookId } });
    await request("GET", "/api/hooks/[id]/recent-logs", { apiKey, params: { id: hookId }, query: "?page=1&page_size=5" });
    await request("GET", "/api/hooks/[id]/recent-logs", { apiKey, params: { id: hookId }, query: "?start_time=abc" });
    await request("GET", "/api/hooks/[id]/stats", { apiKey, params: { id: hookId } });
    await request("GET", "/api/stats/overview", { apiKey });
    await request("GET", "/api/stats/sparklines", { apiKey, query: `?ids=${hookId},${downId}` });

    // Recovery and the breaker: a closed circuit refuses retry-now (409); an open one probes (200).
    await request("GET", "/api/hooks/[id]/recover", { apiKey, params: { id: downId } });
    await request("POST", "/api/hooks/[id]/recover", { apiKey, params: { id: downId }, body: { since: 0 } });
    await request("POST", "/api/hooks/[id]/recover", { apiKey, params: { id: downId }, body: { since: 10, until: 5 } });
    await request("POST", "/api/hooks/[id]/retry-now", { apiKey, params: { id: downId } });
    await db.hookHealth.upsert({
      where: { hookId: downId },
      create: {
        hookId: downId,
        consecutiveFailures: 20,
        failingSince: new Date(),
        openedAt: new Date(),
        nextProbeAt: new Date(Date.now() + 60_000),
        cooldownMs: 5000,
        lastError: "HTTP 500",
      },
      update: {
        consecutiveFailures: 20,
        openedAt: new Date(),
        nextProbeAt: new Date(Date.now() + 60_000),
        cooldownMs: 5000,
        lastError: "HTTP 500",
      },
    });
    await request("GET", "/api/hooks/[id]", { apiKey, params: { id: downId } });
    await request("POST", "/api/hooks/[id]/retry-now", { apiKey, params: { id: downId } });

    // Removing things, and what a removed or unknown thing answers.
    await request("DELETE", "/api/hooks/[id]", { apiKey, params: { id: downId } });
    await request("DELETE", "/api/hooks/[id]", { apiKey, params: { id: downId } });
    await request("DELETE", "/api/api-keys/[id]", { session, params: { id: idOf(ingest) } });
    await request("DELETE", "/api/api-keys/[id]", { session, params: { id: idOf(ingest) } });
    await request("POST", "/api/auth/sign-out", { session });
    await request("GET", "/api/auth/me", { session });

    expect(problems).toEqual([]);
    // Every documented non-error answer was produced by a real call (the 503s need a database outage:
    // readiness's is covered by lib/db/readiness.test.ts; the envelope's by the route sweeps).
    const unseen = documentedAnswers().filter((answer) => !seen.has(answer) && !answer.endsWith(" 503"));
    expect(unseen).toEqual([]);
  });

  it("catches a body the document does not describe", () => {
    const hooks = openApiDocument().paths["/api/health"] as { get: unknown };
    expect(hooks.get).toBeDefined();
    expect(
      contractProblems("GET", "/api/health", { status: 200, text: '{"status":"ok","extra":1}', json: { status: "ok", extra: 1 } }),
    ).not.toEqual([]);
    expect(contractProblems("GET", "/api/health", { status: 201, text: '{"status":"ok"}', json: { status: "ok" } })).not.toEqual([]);
    expect(
      contractProblems("GET", "/api/hooks", {
        status: 401,
        text: '{"code":"unauthorized","message":"x"}',
        json: { code: "unauthorized", message: "x" },
      }),
    ).not.toEqual([]);
    expect(contractProblems("GET", "/api/hooks", { status: 401, text: "{}", json: { code: "auth.unauthorized", message: "x" } })).toEqual(
      [],
    );
    expect(contractProblems("DELETE", "/api/hooks/[id]", { status: 204, text: "{}", json: {} })).not.toEqual([]);
  });
});
