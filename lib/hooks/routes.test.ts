// Integration tests of the Logto-compatible management API, through the real route handlers and
// a real PostgreSQL.
import { at } from "@/lib/assert";
import { openSecret } from "@/lib/secrets/at-rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as configRoute from "@/app/api/config/route";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import * as signingKeyRoute from "@/app/api/hooks/[id]/signing-key/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { db, configure } from "@/lib/testing/context";
import type { FieldError } from "@/lib/errors";
import { z } from "zod";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { bodyOf, call, type CallResult, errorOf, codeOf } from "@/lib/testing/http";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { resetDatabase } from "@/lib/testing/reset";

// The API's documented shape (Logto's Hook JSON plus our fields), checked on every answer read.
const hookListSchema = z.array(hookOutputSchema);

const valid = {
  name: "Order sync",
  events: ["User.Created", "Role.Deleted"],
  config: { url: "https://hooks.example.com/logto", headers: { "X-Api-Key": "secret", Accept: "application/json" } },
};

let apiKey: string;
let session: string;

async function createViaApi(body: unknown = valid) {
  const res = await call(hooksRoute.POST, { body, apiKey, path: "/api/hooks" });
  expect(res.status).toBe(201);
  return bodyOf(res, hookOutputSchema);
}

function fieldsOf(res: CallResult<unknown>) {
  return errorOf(res).fields ?? [];
}

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey, session } = await signedInAdmin());
});

describe("POST /api/hooks and the Logto hook JSON", () => {
  it("creates a hook and answers 201 with exactly Logto's fields (plus previousKeyExpiresAt, health)", async () => {
    const before = Date.now();
    const hook = await createViaApi();
    expect(Object.keys(hook).sort()).toEqual(
      [
        "tenantId",
        "id",
        "name",
        "event",
        "events",
        "config",
        "signingKey",
        "enabled",
        "createdAt",
        "previousKeyExpiresAt",
        "health",
      ].sort(),
    );
    expect(hook.health).toEqual({
      state: "healthy",
      since: null,
      lastError: null,
      consecutiveFailures: 0,
      nextProbeAt: null,
      held: 0,
      disabledReason: null,
    });
    expect(hook).toMatchObject({
      tenantId: "default",
      name: "Order sync",
      event: null,
      events: ["User.Created", "Role.Deleted"],
      config: { url: "https://hooks.example.com/logto", headers: { "X-Api-Key": "secret", Accept: "application/json" } },
      enabled: true,
      previousKeyExpiresAt: null,
    });
    // Logto echoes `config` as stored: no `retries` unless it was given.
    expect(hook.config).not.toHaveProperty("retries");
    expect(hook.id).toMatch(/^[0-9a-z]{21}$/);
    expect(hook.signingKey).toMatch(/^[0-9a-zA-Z]{32}$/);
    expect(typeof hook.createdAt).toBe("number");
    expect(hook.createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(hook.createdAt).toBeLessThanOrEqual(Date.now() + 1000);

    const row = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
    // Stored as ordered rows, shown as a plain object.
    expect(row.headers).toEqual([
      { key: "X-Api-Key", value: "secret" },
      { key: "Accept", value: "application/json" },
    ]);
  });

  it("gives every hook its own random id and signing key", async () => {
    const a = await createViaApi();
    const b = await createViaApi();
    expect(a.id).not.toBe(b.id);
    expect(a.signingKey).not.toBe(b.signingKey);
  });

  it("accepts headers as ordered rows, trims, drops blank rows, dedupes events and honours enabled", async () => {
    const hook = await createViaApi({
      name: "  Trimmed  ",
      events: ["PostSignIn", "PostSignIn", "User.Deleted"],
      config: {
        url: " https://hooks.example.com/x ",
        headers: [
          { key: " X-One ", value: " 1 " },
          { key: "", value: "" },
          { key: "X-Two", value: "" },
        ],
      },
      enabled: false,
    });
    expect(hook).toMatchObject({
      name: "Trimmed",
      events: ["PostSignIn", "User.Deleted"],
      config: { url: "https://hooks.example.com/x", headers: { "X-One": "1", "X-Two": "" } },
      enabled: false,
    });
  });

  it("stores and echoes Logto's legacy single `event` and `retries` as given", async () => {
    const hook = await createViaApi({ name: "Legacy", event: "PostRegister", config: { url: "https://a.example.com/", retries: 0 } });
    expect(hook.events).toEqual([]);
    expect(hook.event).toBe("PostRegister");
    expect(hook.config).toEqual({ url: "https://a.example.com/", headers: {}, retries: 0 });
    const row = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
    expect([row.event, row.events, row.retries]).toEqual(["PostRegister", [], 0]);
  });

  it("rejects a body that is not JSON", async () => {
    const res = await call(hooksRoute.POST, { rawBody: "{nope", headers: { "content-type": "application/json" }, apiKey });
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe("guard.invalid_input");
  });
});

describe("validation (400 with precise field paths, nothing written)", () => {
  const withConfig = (config: Record<string, unknown>) => ({ ...valid, config: { url: valid.config.url, ...config } });
  const manyHeaders = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, "v"]));

  it.each<[string, unknown, FieldError[]]>([
    ["name too long", { ...valid, name: "n".repeat(257) }, [{ path: "name", message: "Use at most 256 characters." }]],
    ["no events", { ...valid, events: undefined }, [{ path: "events", message: "You have to select at least one event." }]],
    ["empty events", { ...valid, events: [] }, [{ path: "events", message: "You have to select at least one event." }]],
    [
      "unknown event",
      { ...valid, events: ["User.Created", "User.Exploded"] },
      [{ path: "events.1", message: 'Unknown event "User.Exploded".' }],
    ],
    ["unknown legacy event", { ...valid, events: undefined, event: "Nope" }, [{ path: "event", message: 'Unknown event "Nope".' }]],
    ["missing config", { ...valid, config: undefined }, [{ path: "config", message: "Enter the endpoint URL." }]],
    ["missing url", { ...valid, config: {} }, [{ path: "config.url", message: "Enter the endpoint URL." }]],
    [
      "relative url",
      withConfig({ url: "/hooks" }),
      [{ path: "config.url", message: "Enter an absolute URL, like https://example.com/webhook." }],
    ],
    ["ftp url", withConfig({ url: "ftp://files.example.com/" }), [{ path: "config.url", message: "Use an http:// or https:// URL." }]],
    [
      "url too long",
      withConfig({ url: `https://example.com/${"a".repeat(2030)}` }),
      [{ path: "config.url", message: "Use at most 2048 characters." }],
    ],
    [
      "credentials in url",
      withConfig({ url: "https://user:pass@example.com/" }),
      [{ path: "config.url", message: "Remove the user name and password from the URL; send credentials in a custom header." }],
    ],
    ["retries out of range", withConfig({ retries: 5 }), [{ path: "config.retries", message: "retries must be between 0 and 3." }]],
    ["too many headers", withConfig({ headers: manyHeaders }), [{ path: "config.headers", message: "Use at most 20 custom headers." }]],
    [
      "header name not a token (row)",
      withConfig({
        headers: [
          { key: "X-Ok", value: "1" },
          { key: "X-Ok-2", value: "2" },
          { key: "Bad Name", value: "3" },
        ],
      }),
      [{ path: "config.headers.2.key", message: "Use letters, digits and !#$%&'*+-.^_`|~ only, without spaces." }],
    ],
    [
      "header name not a token (object)",
      withConfig({ headers: { "X:Colon": "1" } }),
      [{ path: "config.headers.X:Colon", message: "Use letters, digits and !#$%&'*+-.^_`|~ only, without spaces." }],
    ],
    [
      "header without name",
      withConfig({ headers: [{ key: " ", value: "v" }] }),
      [{ path: "config.headers.0.key", message: "Enter a header name." }],
    ],
    [
      "header value with a line break",
      withConfig({ headers: [{ key: "X-Inject", value: "a\r\nX-Evil: 1" }] }),
      [{ path: "config.headers.0.value", message: "Use printable ASCII characters only." }],
    ],
    [
      "header value not ASCII",
      withConfig({ headers: { "X-Name": "café" } }),
      [{ path: "config.headers.X-Name", message: "Use printable ASCII characters only." }],
    ],
    [
      "header value over 1 KB",
      withConfig({ headers: [{ key: "X-Big", value: "v".repeat(1025) }] }),
      [{ path: "config.headers.0.value", message: "Use at most 1024 characters." }],
    ],
    [
      "duplicate header, ignoring case",
      withConfig({
        headers: [
          { key: "X-Token", value: "1" },
          { key: "x-token", value: "2" },
        ],
      }),
      [{ path: "config.headers.1.key", message: '"x-token" is already set (header names ignore case).' }],
    ],
    ...[
      "Host",
      "content-length",
      "Content-Type",
      "transfer-encoding",
      "Connection",
      "logto-signature-sha-256",
      "Webhook-Id",
      "webhook-timestamp",
      "webhook-signature",
    ].map((name): [string, unknown, FieldError[]] => [
      `reserved header ${name}`,
      withConfig({ headers: [{ key: name, value: "x" }] }),
      [{ path: "config.headers.0.key", message: `"${name}" is set by the webhook service and can't be overridden.` }],
    ]),
    [
      "headers of the wrong type",
      withConfig({ headers: "X-A: 1" }),
      [{ path: "config.headers", message: "Headers must be a list of {key, value} pairs or an object." }],
    ],
    ["enabled not a boolean", { ...valid, enabled: "yes" }, [{ path: "enabled", message: "enabled must be true or false." }]],
  ])("%s", async (_label, body, fields) => {
    const res = await call(hooksRoute.POST, { body, apiKey });
    expect(res.status).toBe(400);
    // Logto's codes on Logto's routes (lib/compat/logto.test.ts); our field list stays.
    expect(codeOf(res)).toBe(_label === "no events" ? "hook.missing_events" : "guard.invalid_input");
    expect(fieldsOf(res)).toEqual(fields);
    expect(await db.hook.count()).toBe(0);
  });

  it("reports every field problem at once", async () => {
    const res = await call(hooksRoute.POST, {
      body: { name: "x".repeat(300), events: ["Nope"], config: { url: "nope", headers: [{ key: "a b", value: "1" }] } },
      apiKey,
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res).map((field) => field.path)).toEqual(["name", "events.0", "config.url", "config.headers.0.key"]);
  });

  it("allows user-agent as a custom header (Logto lets it override its own)", async () => {
    const hook = await createViaApi(withConfig({ headers: { "User-Agent": "my-receiver/1.0" } }));
    expect(hook.config.headers).toEqual({ "User-Agent": "my-receiver/1.0" });
  });
});

describe("endpoint URL rules with ALLOW_LOCAL_ENDPOINTS off (the default)", () => {
  beforeEach(() => {
    configure({ ALLOW_LOCAL_ENDPOINTS: "false" });
  });
  afterEach(() => {
    configure({ ALLOW_LOCAL_ENDPOINTS: "true" });
  });

  it.each([
    ["http://hooks.example.com/", "Use an https:// URL."],
    ["https://localhost/x", "The endpoint must be on the public internet: localhost is a local host name."],
    ["https://api.localhost/x", "The endpoint must be on the public internet: api.localhost is a local host name."],
    ["https://127.0.0.1/x", "The endpoint must be on the public internet: 127.0.0.1 is a loopback address."],
    ["https://[::1]:8443/x", "The endpoint must be on the public internet: ::1 is a loopback address."],
    ["https://10.0.0.5/", "The endpoint must be on the public internet: 10.0.0.5 is a private address."],
    ["https://192.168.1.1/", "The endpoint must be on the public internet: 192.168.1.1 is a private address."],
    [
      "https://169.254.169.254/latest/meta-data",
      "The endpoint must be on the public internet: 169.254.169.254 is a link-local / cloud metadata address.",
    ],
    ["https://metadata.google.internal/", "The endpoint must be on the public internet: metadata.google.internal is a local host name."],
    ["https://100.64.0.1/", "The endpoint must be on the public internet: 100.64.0.1 is a carrier-grade NAT address."],
    ["https://[fd00::1]/", "The endpoint must be on the public internet: fd00::1 is a unique-local address."],
    ["https://[fe80::1]/", "The endpoint must be on the public internet: fe80::1 is a link-local address."],
    ["https://224.0.0.1/", "The endpoint must be on the public internet: 224.0.0.1 is a multicast address."],
    ["https://2130706433/", "The endpoint must be on the public internet: 127.0.0.1 is a loopback address."],
  ])("refuses %s", async (url, message) => {
    const res = await call(hooksRoute.POST, { body: { ...valid, config: { url } }, apiKey });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual([{ path: "config.url", message }]);
  });

  it("accepts a public https IP literal without any DNS lookup", async () => {
    const hook = await createViaApi({ ...valid, config: { url: "https://93.184.215.14/hook" } });
    expect(hook.config.url).toBe("https://93.184.215.14/hook");
  });

  it("checks PATCH too", async () => {
    configure({ ALLOW_LOCAL_ENDPOINTS: "true" });
    const hook = await createViaApi({ ...valid, config: { url: "http://127.0.0.1:9999/" } });
    configure({ ALLOW_LOCAL_ENDPOINTS: "false" });
    const res = await call(hookRoute.PATCH, {
      method: "PATCH",
      params: { id: hook.id },
      body: { config: { url: "https://10.1.1.1/" } },
      apiKey,
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)[0]?.path).toBe("config.url");
  });

  it("GET /api/config tells the console the flag", async () => {
    expect((await call(configRoute.GET, { apiKey })).json).toEqual({ allowLocalEndpoints: false });
  });
});

describe("ALLOW_LOCAL_ENDPOINTS=true (development and tests)", () => {
  it("accepts http and local addresses, and GET /api/config says so", async () => {
    const hook = await createViaApi({ ...valid, config: { url: "http://localhost:4000/hook" } });
    expect(hook.config.url).toBe("http://localhost:4000/hook");
    expect((await call(configRoute.GET, { session })).json).toEqual({ allowLocalEndpoints: true });
  });
});

describe("GET /api/hooks", () => {
  it("lists newest first, unpaged without page parameters (no pagination headers), as Logto", async () => {
    const first = await createViaApi({ ...valid, name: "first" });
    const second = await createViaApi({ ...valid, name: "second" });
    await db.hook.update({ where: { id: first.id }, data: { createdAt: new Date(Date.now() - 60_000) } });
    const res = await call(hooksRoute.GET, { apiKey, path: "/api/hooks" });
    expect(res.status).toBe(200);
    expect(bodyOf(res, hookListSchema).map((hook) => hook.id)).toEqual([second.id, first.id]);
    expect(res.headers.get("total-number")).toBeNull();
    expect(res.headers.get("link")).toBeNull();
    expect(at(bodyOf(res, hookListSchema), 0).executionStats).toBeUndefined();
  });

  it("pages with page/page_size and sets Total-Number and Link like Logto", async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) {
      const hook = await createViaApi({ ...valid, name: `hook ${i}` });
      await db.hook.update({ where: { id: hook.id }, data: { createdAt: new Date(now - (5 - i) * 1000) } });
    }
    const path = "/api/hooks?page=2&page_size=2&includeExecutionStats=true";
    const res = await call(hooksRoute.GET, { apiKey, path });
    expect(res.status).toBe(200);
    const items = bodyOf(res, hookListSchema);
    expect(items.map((hook) => hook.name)).toEqual(["hook 2", "hook 1"]);
    expect(items[0]?.executionStats).toEqual({ successCount: 0, requestCount: 0 });
    expect(res.headers.get("total-number")).toBe("5");
    const base = "http://console.test/api/hooks?page=";
    const rest = "&page_size=2&includeExecutionStats=true";
    expect(res.headers.get("link")).toBe(
      [
        `<${base}1${rest}>; rel="first"`,
        `<${base}1${rest}>; rel="prev"`,
        `<${base}3${rest}>; rel="next"`,
        `<${base}3${rest}>; rel="last"`,
      ].join(", "),
    );

    const last = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?page=3&page_size=2" });
    expect(bodyOf(last, hookListSchema).map((hook) => hook.name)).toEqual(["hook 0"]);
    expect(last.headers.get("link")).not.toContain('rel="next"');
  });

  it("defaults page_size to 20 when only page is given, and links first/last on an empty list", async () => {
    const res = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?page=1" });
    expect(res.json).toEqual([]);
    expect(res.headers.get("total-number")).toBe("0");
    expect(res.headers.get("link")).toBe(
      '<http://console.test/api/hooks?page=1>; rel="first", <http://console.test/api/hooks?page=1>; rel="last"',
    );

    for (let i = 0; i < 21; i++)
      await db.hook.create({
        data: {
          id: `h${String(i).padStart(2, "0")}`,
          name: `h${i}`,
          events: ["PostSignIn"],
          url: "https://a.example.com/",
          signingKey: "k",
        },
      });
    const page = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?page=1" });
    expect(bodyOf(page, hookListSchema).length).toBe(20);
    expect(page.headers.get("total-number")).toBe("21");
  });

  it.each([
    ["page=0", "page", "page starts at 1."],
    ["page=abc", "page", "page must be a number."],
    ["page_size=101", "page_size", "page_size must be between 1 and 100."],
    ["page_size=0", "page_size", "page_size must be between 1 and 100."],
    ["page_size=2.5", "page_size", "page_size must be a whole number."],
  ])("rejects %s", async (query, path, message) => {
    const res = await call(hooksRoute.GET, { apiKey, path: `/api/hooks?${query}` });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual([{ path, message }]);
  });
});

describe("GET/PATCH/DELETE /api/hooks/:id", () => {
  it("gets one hook, with executionStats only when asked", async () => {
    const hook = await createViaApi();
    const plain = await call(hookRoute.GET, { params: { id: hook.id }, apiKey });
    expect(plain.status).toBe(200);
    expect(plain.json).toEqual(hook);
    const withStats = await call(hookRoute.GET, {
      params: { id: hook.id },
      apiKey,
      path: `/api/hooks/${hook.id}?includeExecutionStats=true`,
    });
    expect(withStats.json).toEqual({ ...hook, executionStats: { successCount: 0, requestCount: 0 } });
  });

  it("PATCH updates only what is given, and replaces config whole", async () => {
    const hook = await createViaApi();
    const res = await call(hookRoute.PATCH, {
      method: "PATCH",
      params: { id: hook.id },
      body: { name: "Renamed", config: { url: "https://other.example.com/new" } },
      apiKey,
    });
    expect(res.status).toBe(200);
    const updated = bodyOf(res, hookOutputSchema);
    expect(updated).toMatchObject({
      id: hook.id,
      name: "Renamed",
      events: hook.events,
      signingKey: hook.signingKey,
      enabled: true,
      createdAt: hook.createdAt,
      // The old custom headers are gone: config is replaced, not merged.
      config: { url: "https://other.example.com/new", headers: {} },
    });
  });

  it("PATCH disables and re-enables, changes events, and accepts an empty body", async () => {
    const hook = await createViaApi();
    const patch = (body: unknown) => call(hookRoute.PATCH, { method: "PATCH", params: { id: hook.id }, body, apiKey });
    expect((await patch({ enabled: false })).json).toMatchObject({ enabled: false, name: hook.name });
    expect((await patch({ enabled: true, events: ["Grant.LimitExceeded"] })).json).toMatchObject({
      enabled: true,
      events: ["Grant.LimitExceeded"],
    });
    expect((await patch({ event: null })).json).toMatchObject({ events: ["Grant.LimitExceeded"] });
    const noop = await patch({});
    expect(noop.status).toBe(200);
    expect(noop.json).toMatchObject({ id: hook.id, events: ["Grant.LimitExceeded"] });
  });

  it("PATCH validates with the same rules and field paths", async () => {
    const hook = await createViaApi();
    const res = await call(hookRoute.PATCH, {
      method: "PATCH",
      params: { id: hook.id },
      body: { events: [], config: { url: "https://a.example.com", headers: { host: "evil" } } },
      apiKey,
    });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual([
      { path: "events", message: "You have to select at least one event." },
      { path: "config.headers.host", message: `"host" is set by the webhook service and can't be overridden.` },
    ]);
    expect((await db.hook.findUniqueOrThrow({ where: { id: hook.id } })).events).toEqual(hook.events);
  });

  it("DELETE answers 204 and the hook is gone, with its deliveries", async () => {
    const hook = await createViaApi();
    await db.delivery.create({ data: { id: crypto.randomUUID(), hookId: hook.id, event: "User.Created", requestBody: "{}" } });
    const res = await call(hookRoute.DELETE, { method: "DELETE", params: { id: hook.id }, apiKey });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(await db.hook.count()).toBe(0);
    expect(await db.delivery.count()).toBe(0);
  });

  it("answers 404 for an unknown id on every route", async () => {
    const params = { id: "doesnotexist000000000" };
    const responses = [
      await call(hookRoute.GET, { params, apiKey }),
      await call(hookRoute.PATCH, { method: "PATCH", params, body: { name: "x" }, apiKey }),
      await call(hookRoute.DELETE, { method: "DELETE", params, apiKey }),
      await call(signingKeyRoute.PATCH, { method: "PATCH", params, apiKey }),
    ];
    // Logto's codes, which depend on the operation (lib/http/logto-errors.ts).
    expect(responses.map((res) => [res.status, codeOf(res)])).toEqual([
      [404, "entity.not_exists_with_id"],
      [404, "entity.not_exists"],
      [404, "entity.not_found"],
      [404, "entity.not_exists"],
    ]);
  });
});

describe("PATCH /api/hooks/:id/signing-key", () => {
  it("answers 200 with the hook and a new key, which replaces the old one at once by default", async () => {
    const hook = await createViaApi();
    const res = await call(signingKeyRoute.PATCH, { method: "PATCH", params: { id: hook.id }, apiKey });
    expect(res.status).toBe(200);
    const rotated = bodyOf(res, hookOutputSchema);
    expect(rotated.id).toBe(hook.id);
    expect(rotated.signingKey).toMatch(/^[0-9a-zA-Z]{32}$/);
    expect(rotated.signingKey).not.toBe(hook.signingKey);
    expect(rotated.previousKeyExpiresAt).toBeNull();
    const row = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(openSecret(row.signingKey)).toBe(rotated.signingKey); // stored encrypted (lib/secrets/at-rest.ts)
    expect(row.previousSigningKey).toBeNull();
  });

  it("keeps the previous key for a grace period when asked", async () => {
    const hook = await createViaApi();
    const res = await call(signingKeyRoute.PATCH, { method: "PATCH", params: { id: hook.id }, body: { gracePeriodHours: 24 }, apiKey });
    expect(res.status).toBe(200);
    const rotated = bodyOf(res, hookOutputSchema);
    const row = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(openSecret(row.previousSigningKey!)).toBe(hook.signingKey);
    expect(openSecret(row.signingKey)).toBe(rotated.signingKey);
    const expected = Date.now() + 24 * 3_600_000;
    expect(Math.abs(row.previousKeyExpiresAt!.getTime() - expected)).toBeLessThan(10_000);
    expect(rotated.previousKeyExpiresAt).toBe(row.previousKeyExpiresAt!.getTime());
    // The response never carries the previous key itself.
    expect(JSON.stringify(rotated)).not.toContain(hook.signingKey);

    // A later rotation without grace drops the previous key.
    await call(signingKeyRoute.PATCH, { method: "PATCH", params: { id: hook.id }, body: {}, apiKey });
    expect((await db.hook.findUniqueOrThrow({ where: { id: hook.id } })).previousSigningKey).toBeNull();
  });

  it("accepts an empty body, as a bodyless PATCH arrives through Next, and rejects one that is not JSON", async () => {
    const hook = await createViaApi();
    const empty = await call(signingKeyRoute.PATCH, { method: "PATCH", params: { id: hook.id }, rawBody: "", apiKey });
    expect(empty.status).toBe(200);
    expect(bodyOf(empty, hookOutputSchema).signingKey).not.toBe(hook.signingKey);
    const bad = await call(signingKeyRoute.PATCH, { method: "PATCH", params: { id: hook.id }, rawBody: "{", apiKey });
    expect(bad.status).toBe(400);
    expect(codeOf(bad)).toBe("guard.invalid_input");
  });

  it("rejects a grace period outside 0–72 hours", async () => {
    const hook = await createViaApi();
    const res = await call(signingKeyRoute.PATCH, { method: "PATCH", params: { id: hook.id }, body: { gracePeriodHours: 73 }, apiKey });
    expect(res.status).toBe(400);
    expect(fieldsOf(res)).toEqual([{ path: "gracePeriodHours", message: "Use 0 to 72 hours." }]);
  });
});

describe("authentication", () => {
  it("answers 401 without credentials on every route", async () => {
    const params = { id: "x" };
    const responses = [
      await call(hooksRoute.GET),
      await call(hooksRoute.POST, { body: valid }),
      await call(hookRoute.GET, { params }),
      await call(hookRoute.PATCH, { method: "PATCH", params, body: {} }),
      await call(hookRoute.DELETE, { method: "DELETE", params }),
      await call(signingKeyRoute.PATCH, { method: "PATCH", params }),
      await call(configRoute.GET),
    ];
    for (const res of responses) expect(res.status).toBe(401);
    expect(await db.hook.count()).toBe(0);
  });

  it("answers 401 for a wrong API key", async () => {
    expect((await call(hooksRoute.GET, { apiKey: "whc_not-a-real-key" })).status).toBe(401);
  });

  it("works with a signed-in session as well as an API key", async () => {
    const created = await call(hooksRoute.POST, { body: valid, session });
    expect(created.status).toBe(201);
    const id = bodyOf(created, hookOutputSchema).id;
    expect((await call(hooksRoute.GET, { session })).status).toBe(200);
    expect((await call(hookRoute.PATCH, { method: "PATCH", params: { id }, body: { enabled: false }, session })).status).toBe(200);
    expect((await call(signingKeyRoute.PATCH, { method: "PATCH", params: { id }, session })).status).toBe(200);
    expect((await call(hookRoute.DELETE, { method: "DELETE", params: { id }, session })).status).toBe(204);
  });

  it("refuses a cookie-authenticated change from another origin", async () => {
    const res = await call(hooksRoute.POST, { body: valid, session, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(await db.hook.count()).toBe(0);
  });
});
