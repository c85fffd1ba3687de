// Secrets never leak: a whole working session (setup, wrong and right sign-ins, an API key, a hook
// with credential headers, key rotation, test payloads, deliveries that succeed, fail, time out and
// get reset, sign-out) runs with everything the process prints captured; no password, session
// token, API key, signing key or credential header value may appear in it (the per-delivery
// signatures may: they are not credentials, see lib/delivery/redaction.ts). Then the
// list and log responses, and the recorded delivery rows, are checked for the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, first } from "@/lib/assert";
import { z } from "zod";
import { createdApiKeySchema } from "@/lib/api-keys/schemas";
import { hookOutputSchema, testPayloadResultsSchema } from "@/lib/hooks/schemas";
import { deliveryPageSchema } from "@/lib/deliveries/schemas";
import * as apiKeysRoute from "@/app/api/api-keys/route";
import * as meRoute from "@/app/api/auth/me/route";
import * as setupRoute from "@/app/api/auth/setup/route";
import * as signInRoute from "@/app/api/auth/sign-in/route";
import * as signOutRoute from "@/app/api/auth/sign-out/route";
import * as eventsBatchRoute from "@/app/api/events/batch/route";
import * as eventsRoute from "@/app/api/events/route";
import * as deliveryRoute from "@/app/api/hooks/[id]/deliveries/[deliveryId]/route";
import * as deliveriesRoute from "@/app/api/hooks/[id]/deliveries/route";
import * as recentLogsRoute from "@/app/api/hooks/[id]/recent-logs/route";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import * as signingKeyRoute from "@/app/api/hooks/[id]/signing-key/route";
import * as testRoute from "@/app/api/hooks/[id]/test/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { sha256 } from "@/lib/auth/crypto";
import { ctx, db, configure } from "@/lib/testing/context";
import { REDACTED } from "@/lib/delivery/headers";
import { createSender, type Sender } from "@/lib/delivery/http";
import type { RetrySchedule } from "@/lib/delivery/retry";
import { startWorker } from "@/lib/delivery/worker";
import { bodyOf, call, sessionFromCookie } from "@/lib/testing/http";
import { installNetworkFence, type NetworkFence } from "@/lib/testing/network-fence";
import { logger } from "@/lib/observability/log";
import { captureOutput, type CapturedOutput } from "@/lib/testing/output";
import { startReceiver, type Receiver, type ScriptedResponse } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { waitFor } from "@/lib/testing/wait";

const ADMIN = { email: "owner@example.com", password: "correct horse battery staple 42" };
const WRONG_PASSWORDS = ["Tr0ub4dor&3-wrong", "hunter2-but-longer"];
/** Custom headers whose values are credentials for the receiver; their names look it. */
const CREDENTIAL_HEADERS: Record<string, string> = {
  Authorization: "Bearer receiver-bearer-7f3a9c",
  "X-Api-Key": "x-api-key-value-51d2e8",
  "X-Auth-Token": "x-auth-token-value-0b7c44",
  "Webhook-Secret": "webhook-secret-value-93aa10",
  "X-Client-Secret": "client-secret-value-2c8e61",
  "Proxy-Authorization": "Basic cHJveHk6c2VjcmV0",
  Cookie: "sid=receiver-session-cookie-66f1",
  "X-Session-Id": "receiver-session-id-d41d8c",
  "X-Signature": "receiver-signature-value-aa01",
  "X-Password": "receiver-password-value-77ab",
};
const PLAIN_HEADERS: Record<string, string> = { "X-Team": "payments", "X-Request-Source": "security-suite" };
/** Credentials whose header names look harmless, and one in the URL's query: caught by their values. */
const PARTNER_TOKEN = "partner-bearer-3c9d41";
const OPAQUE_TOKEN = "Zq4Lw8Rt2Nv6Xc1Bm5Kp9Hs3";
const URL_TOKEN = "url-token-value-8e2f17";
const REDIRECT_TOKEN = "redirect-token-value-4b7a02";
// A token of the receiver's own in its answer (a JWT, built here so no scanner flags this file).
const RECEIVER_JWT = ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiJyZWNlaXZlciJ9", "Qm9ndXNTaWduYXR1cmVGb3JUZXN0cw"].join(".");
const FAST: RetrySchedule = { delaysMs: [20, 20, 20], jitter: 0, retryAfterCapMs: 100 };

let fence: NetworkFence;
let output: CapturedOutput;
let receiver: Receiver;
let sender: Sender;
/** Every secret the scenario handled, by what it is. */
const secrets = new Map<string, string>();
let hookId = "";
/** The hook whose credentials only their values give away. */
let quietHookId = "";
let apiKey = "";
let session = "";

function remember(label: string, value: string | undefined | null) {
  expect(value, label).toBeTruthy();
  secrets.set(label, value!);
}

/** Every secret's label except those matching `allowed`. */
const everythingBut = (...allowed: RegExp[]) => [...secrets.keys()].filter((label) => !allowed.some((pattern) => pattern.test(label)));

/** Which of the given secrets occur in `text`. */
const leaked = (text: string, labels: Iterable<string>) => [...labels].filter((label) => text.includes(secrets.get(label)!));

beforeAll(async () => {
  // the receivers live on 127.0.0.1
  configure({ ALLOW_LOCAL_ENDPOINTS: "true" });
  fence = installNetworkFence();
  await resetDatabase();
  receiver = await startReceiver();
  sender = createSender({ allowLocal: true, timeoutMs: 300 });
  output = captureOutput();
  // The capture itself works: both paths show up.
  console.log("capture-canary-console");
  process.stdout.write("capture-canary-stdout\n");
  logger("secrets-test").info("capture-canary-logger");
}, 60_000);

afterAll(async () => {
  output.restore();
  await sender.close();
  await receiver.close();
  fence.uninstall();
});

describe("a session with every secret in play", () => {
  it("setup, failed and successful sign-ins, an API key", async () => {
    remember("admin password", ADMIN.password);
    const setup = await call(setupRoute.POST, { body: ADMIN });
    expect(setup.status).toBe(201);
    remember("setup session token", sessionFromCookie(setup.headers.get("set-cookie")));
    for (const [index, password] of WRONG_PASSWORDS.entries()) {
      remember(`wrong password ${index}`, password);
      expect((await call(signInRoute.POST, { body: { ...ADMIN, password } })).status).toBe(401);
    }
    expect((await call(signInRoute.POST, { body: { email: "nobody@example.com", password: ADMIN.password } })).status).toBe(401);
    const signIn = await call(signInRoute.POST, { body: ADMIN });
    expect(signIn.status).toBe(200);
    session = sessionFromCookie(signIn.headers.get("set-cookie"))!;
    remember("session token", session);

    const key = await call(apiKeysRoute.POST, { session, body: { name: "deploy bot" } });
    expect(key.status).toBe(201);
    apiKey = bodyOf(key, createdApiKeySchema).key;
    remember("API key", apiKey);
    remember("API key hash", sha256(apiKey));
    remember("password hash", (await db.adminUser.findFirstOrThrow()).passwordHash);
  });

  it("a hook with credential headers, a key rotation, test payloads that pass and fail", async () => {
    const created = await call(hooksRoute.POST, {
      apiKey,
      body: {
        name: "billing",
        events: ["User.Created", "User.Deleted"],
        config: { url: receiver.url, headers: { ...CREDENTIAL_HEADERS, ...PLAIN_HEADERS } },
      },
    });
    expect(created.status).toBe(201);
    const hook = bodyOf(created, hookOutputSchema);
    hookId = hook.id;
    remember("first signing key", hook.signingKey);
    for (const [name, value] of Object.entries(CREDENTIAL_HEADERS)) remember(`${name} header value`, value);

    const rotated = await call(signingKeyRoute.PATCH, { apiKey, method: "PATCH", params: { id: hookId }, body: { gracePeriodHours: 1 } });
    expect(rotated.status).toBe(200);
    remember("signing key", bodyOf(rotated, hookOutputSchema).signingKey);

    const config = { url: receiver.url, headers: { ...CREDENTIAL_HEADERS, ...PLAIN_HEADERS } };
    receiver.setScript([{ status: 200, body: "ok" }]);
    expect((await call(testRoute.POST, { apiKey, params: { id: hookId }, body: { events: ["User.Created"], config } })).status).toBe(204);
    receiver.setScript([{ status: 500, body: "receiver exploded" }]);
    expect(
      (await call(testRoute.POST, { apiKey, params: { id: hookId }, body: { events: ["User.Created", "User.Deleted"], config } })).status,
    ).toBe(422);
    const closedPort = { ...config, url: "http://127.0.0.1:9/hook" }; // nothing listens on the discard port
    expect(
      (await call(testRoute.POST, { apiKey, params: { id: hookId }, body: { events: ["User.Created"], config: closedPort } })).status,
    ).toBe(422);
  });

  it("deliveries that succeed, fail, time out and get reset, through the worker", async () => {
    const cycle: ScriptedResponse[] = [
      { status: 200 },
      { status: 500 },
      { reset: true },
      { status: 404 },
      { status: 302, redirectTo: "https://elsewhere.example/" },
      { delayMs: 600 },
    ];
    receiver.setScript((_request, index) => at(cycle, index % cycle.length));
    for (let n = 0; n < 4; n++)
      expect((await call(eventsRoute.POST, { apiKey, body: { event: "User.Created", data: { n } } })).status).toBe(202);
    const batch = await call(eventsBatchRoute.POST, {
      apiKey,
      body: {
        events: [
          { event: "User.Deleted", data: { n: 5 } },
          { event: "User.Deleted", data: { n: 6 } },
        ],
      },
    });
    expect(batch.status).toBe(202);
    // The worker with its default log, which prints to the console.
    const worker = startWorker({ sender, schedule: FAST, idlePollMs: 50 });
    try {
      await waitFor(async () => (await db.delivery.count({ where: { status: "pending" } })) === 0, 20_000);
    } finally {
      await worker.stop({ graceMs: 0 });
    }
    const statuses = new Set((await db.delivery.findMany()).map((row) => row.status));
    expect(statuses).toEqual(new Set(["succeeded", "failed"]));
    // Signatures are not remembered as secrets: an HMAC of the public body, recorded as sent
    // (lib/delivery/redaction.ts); the signing key they come from is (above).
  });

  it("a hook whose credentials hide under harmless names and in its URL's query delivers them for real, records them redacted", async () => {
    remember("X-Partner bearer header value", PARTNER_TOKEN);
    remember("X-Opaque header value", OPAQUE_TOKEN);
    remember("hook URL token", URL_TOKEN);
    remember("the receiver's own JWT in its answer", RECEIVER_JWT);
    const url = `${receiver.url}?token=${URL_TOKEN}&team=payments`;
    const headers = { "X-Partner": `Bearer ${PARTNER_TOKEN}`, "X-Opaque": OPAQUE_TOKEN, ...PLAIN_HEADERS };
    const created = await call(hooksRoute.POST, { apiKey, body: { name: "quiet", events: ["Role.Created"], config: { url, headers } } });
    expect(created.status).toBe(201);
    quietHookId = bodyOf(created, hookOutputSchema).id;

    // An echoing receiver (httpbin-style) answers with the request it got: the recorded response
    // must not bring the credentials back into the log, nor keep a token of its own.
    receiver.setScript((request) => ({
      status: 200,
      body: JSON.stringify({ path: request.path, headers: request.headers, session: RECEIVER_JWT }),
    }));
    const before = receiver.requests.length;
    expect((await call(eventsRoute.POST, { apiKey, body: { event: "Role.Created", data: { n: 7 } } })).status).toBe(202);
    const worker = startWorker({ sender, schedule: FAST, idlePollMs: 50 });
    try {
      await waitFor(async () => (await db.delivery.count({ where: { hookId: quietHookId, status: "pending" } })) === 0, 20_000);
    } finally {
      await worker.stop({ graceMs: 0 });
    }
    // The receiver got the real values: only the recorded copy is redacted.
    const received = first(receiver.requests.slice(before));
    expect(received.path).toBe(`/hook?token=${URL_TOKEN}&team=payments`);
    expect(received.headers["x-partner"]).toBe(`Bearer ${PARTNER_TOKEN}`);
    expect(received.headers["x-opaque"]).toBe(OPAQUE_TOKEN);

    const row = await db.delivery.findFirstOrThrow({ where: { hookId: quietHookId } });
    expect(row.status).toBe("succeeded");
    const recordedUrl = `${receiver.url}?token=${REDACTED}&team=payments`;
    expect(row.requestUrl).toBe(recordedUrl);
    expect(row.requestHeaders).toMatchObject({ "x-partner": REDACTED, "x-opaque": REDACTED, "x-team": "payments", "webhook-id": row.id });
    const echoed = z
      .object({ path: z.string(), headers: z.record(z.string(), z.string()), session: z.string() })
      .parse(JSON.parse(row.responseBody ?? "{}"));
    expect(echoed.session).toBe(REDACTED);
    expect(echoed.path).toBe(`/hook?token=${REDACTED}&team=payments`);
    expect(echoed.headers).toMatchObject({ "x-partner": REDACTED, "x-opaque": REDACTED, "x-team": "payments", "webhook-id": row.id });
    // The echoed signatures stay: they are not credentials.
    expect(echoed.headers["logto-signature-sha-256"]).toBe(received.headers["logto-signature-sha-256"]);
    expect(echoed.headers["webhook-signature"]).toBe(received.headers["webhook-signature"]);

    const details = await call(deliveryRoute.GET, { apiKey, params: { id: quietHookId, deliveryId: row.id } });
    expect(details.status).toBe(200);
    expect(details.json).toMatchObject({
      requestUrl: recordedUrl,
      requestHeaders: { "x-partner": REDACTED, "x-opaque": REDACTED, "x-team": "payments" },
    });
  });

  it("a test payload answered with a redirect to a URL carrying a token reports it redacted", async () => {
    remember("redirect token", REDIRECT_TOKEN);
    receiver.setScript([{ status: 302, redirectTo: `https://elsewhere.example/next?access_token=${REDIRECT_TOKEN}` }]);
    const config = { url: `${receiver.url}?token=${URL_TOKEN}`, headers: { "X-Partner": `Bearer ${PARTNER_TOKEN}` } };
    const res = await call(testRoute.POST, {
      apiKey,
      path: `/api/hooks/${quietHookId}/test?details=true`,
      params: { id: quietHookId },
      body: { events: ["Role.Created"], config },
    });
    expect(res.status).toBe(200);
    const result = first(bodyOf(res, testPayloadResultsSchema).results);
    expect(result.ok).toBe(false);
    expect(result.error).toContain(`(Location: https://elsewhere.example/next?access_token=${REDACTED})`);
    expect(leaked(res.text, secrets.keys())).toEqual([]);
  });

  it("a worker that cannot reach the database says so, without its connection password", async () => {
    const url = new URL(ctx.databaseUrl);
    if (url.password) remember("database password", decodeURIComponent(url.password));
    url.port = "9"; // nothing listens there: LISTEN fails and is logged
    const worker = startWorker({ sender, schedule: FAST, idlePollMs: 50, databaseUrl: url.toString() });
    try {
      await waitFor(async () => output.text().includes("LISTEN wc_deliveries unavailable"), 5_000);
    } finally {
      await worker.stop({ graceMs: 0 });
    }
  });

  it("sign-out", async () => {
    expect((await call(signOutRoute.POST, { session, method: "POST" })).status).toBe(204);
  });
});

describe("what the process printed", () => {
  it("holds none of those secrets", () => {
    const printed = output.text();
    expect(printed).toContain("capture-canary-console");
    expect(printed).toContain("capture-canary-stdout");
    expect(printed).toContain("capture-canary-logger"); // the structured logger's lines are captured too
    expect(secrets.size).toBeGreaterThanOrEqual(20);
    expect(leaked(printed, secrets.keys())).toEqual([]);
  });
});

describe("list and log responses", () => {
  it("GET /api/api-keys shows names and prefixes, never a key or its hash", async () => {
    const res = await call(apiKeysRoute.GET, { apiKey });
    expect(res.status).toBe(200);
    expect(leaked(res.text, secrets.keys())).toEqual([]);
    for (const item of bodyOf(res, z.array(z.record(z.string(), z.unknown())))) {
      expect(Object.keys(item).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scope"]);
    }
  });

  it("hook answers carry the current signing key, the configured URL and headers (as Logto's do), nothing else", async () => {
    // The current key, the URL and the header values are the hook's own settings, shown to its admins.
    const allowed = everythingBut(/^signing key$/, /header value$/, /^hook URL token$/);
    for (const res of [
      await call(hooksRoute.GET, { apiKey }),
      await call(hooksRoute.GET, { apiKey, path: "/api/hooks?page=1&includeExecutionStats=true" }),
      await call(hookRoute.GET, { apiKey, params: { id: hookId } }),
    ]) {
      expect(res.status).toBe(200);
      expect(leaked(res.text, allowed)).toEqual([]); // includes the rotated-out key
    }
  });

  it("the request log (list, details, Logto's recent-logs) shows no credential or key", async () => {
    for (const id of [hookId, quietHookId]) {
      const list = await call(deliveriesRoute.GET, { apiKey, params: { id } });
      expect(list.status).toBe(200);
      const { items } = bodyOf(list, deliveryPageSchema);
      expect(items.length).toBeGreaterThan(0);
      const answers = [list, await call(recentLogsRoute.GET, { apiKey, params: { id } })];
      for (const item of items) answers.push(await call(deliveryRoute.GET, { apiKey, params: { id, deliveryId: item.id } }));
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(leaked(res.text, secrets.keys())).toEqual([]);
      }
    }
  });

  it("GET /api/auth/me does not echo the token", async () => {
    const res = await call(meRoute.GET, { apiKey });
    expect(leaked(res.text, secrets.keys())).toEqual([]);
  });
});

describe("recorded delivery rows", () => {
  it("redact every credential-looking header; keep the rest, the delivery signatures included", async () => {
    const rows = (await db.delivery.findMany({ where: { hookId } })).filter((row) => row.requestHeaders !== null);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const headers = z.record(z.string(), z.string()).parse(row.requestHeaders);
      for (const name of Object.keys(CREDENTIAL_HEADERS)) {
        expect({ header: name, value: headers[name.toLowerCase()] }).toEqual({ header: name, value: REDACTED });
      }
      expect(headers["logto-signature-sha-256"]).toMatch(/^[0-9a-f]{64}$/);
      expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/=]{44}( v1,[A-Za-z0-9+/=]{44})*$/);
      expect(headers["x-team"]).toBe("payments");
      expect(headers["webhook-id"]).toBe(row.id);
      expect(leaked(JSON.stringify(row), secrets.keys())).toEqual([]);
    }
  });

  it("of the hook whose credentials only their values give away, hold none of them", async () => {
    const rows = await db.delivery.findMany({ where: { hookId: quietHookId } });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(leaked(JSON.stringify(row), secrets.keys())).toEqual([]);
  });

  it("no table stores an API key, session token or password in the clear", async () => {
    const dump = JSON.stringify({
      keys: await db.apiKey.findMany(),
      sessions: await db.session.findMany(),
      admins: await db.adminUser.findMany(),
      events: await db.event.findMany(),
    });
    expect(leaked(dump, everythingBut(/hash$/))).toEqual([]);
  });
});

describe("rows recorded before URLs and header values were redacted", () => {
  it("are redacted when read, by the details, list and recent-logs APIs", async () => {
    const old = { url: "url-token-old-61c0aa", header: "partner-bearer-old-f2d9e3", location: "location-token-old-07be5c" };
    const id = "6f1d3c2a-9b8e-4d7f-a1c0-5e4b3a2d1c0f";
    await db.delivery.create({
      data: {
        id,
        hookId: quietHookId,
        event: "Role.Created",
        status: "failed",
        attempts: 1,
        requestBody: "{}",
        requestUrl: `https://hooks.example.com/in?sig=${old.url}&team=a`,
        requestHeaders: { "x-partner": `Bearer ${old.header}`, "x-team": "payments" },
        responseStatus: 302,
        responseHeaders: { location: `https://elsewhere.example/?token=${old.location}` },
        error: `HTTP 302: redirects are not followed (Location: https://elsewhere.example/?token=${old.location}).`,
        attemptLog: [
          {
            at: new Date().toISOString(),
            status: 302,
            durationMs: 3,
            error: `HTTP 302 (Location: https://elsewhere.example/?token=${old.location})`,
          },
        ],
        completedAt: new Date(),
      },
    });
    const details = await call(deliveryRoute.GET, { apiKey, params: { id: quietHookId, deliveryId: id } });
    expect(details.status).toBe(200);
    expect(details.json).toMatchObject({
      requestUrl: `https://hooks.example.com/in?sig=${REDACTED}&team=a`,
      requestHeaders: { "x-partner": REDACTED, "x-team": "payments" },
      responseHeaders: { location: `https://elsewhere.example/?token=${REDACTED}` },
      error: `HTTP 302: redirects are not followed (Location: https://elsewhere.example/?token=${REDACTED}).`,
    });
    const answers = [
      details,
      await call(deliveriesRoute.GET, { apiKey, params: { id: quietHookId } }),
      await call(recentLogsRoute.GET, { apiKey, params: { id: quietHookId } }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.text).toContain(REDACTED);
      for (const value of Object.values(old)) expect(res.text).not.toContain(value);
    }
  });
});
