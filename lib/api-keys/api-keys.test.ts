import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { first } from "@/lib/assert";
import * as keyRoute from "@/app/api/api-keys/[id]/route";
import * as keysRoute from "@/app/api/api-keys/route";
import * as batchRoute from "@/app/api/events/batch/route";
import * as eventsRoute from "@/app/api/events/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { sha256 } from "@/lib/auth/crypto";
import {
  API_KEY_CACHE_TTL_MS,
  API_KEY_CHANNEL,
  authenticateApiKey,
  createApiKey,
  environmentKeys,
  listApiKeys,
  revocationListener,
  revokeApiKey,
  stopRevocationListener,
} from "@/lib/api-keys/service";
import { ctx, db, configure } from "@/lib/testing/context";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { apiKeyOutputSchema, createdApiKeySchema } from "./schemas";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { bodyOf, call, codeOf, errorOf } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";
import { apiRouteFiles, routeHandlers } from "@/lib/testing/routes";
import { waitFor } from "@/lib/testing/wait";

describe("API keys", () => {
  beforeEach(resetDatabase);

  it("creates a key shown once, stores only its hash, authenticates with it, and revokes it", async () => {
    const { session } = await signedInAdmin();
    const created = await call(keysRoute.POST, { body: { name: "backend" }, session }, createdApiKeySchema);
    expect(created.status).toBe(201);
    const secret = created.json.key;
    expect(secret).toMatch(/^whc_[A-Za-z0-9_-]{32}$/);
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(stored.keyHash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const list = await call(keysRoute.GET, { apiKey: secret });
    expect(list.status).toBe(200);
    const listed = bodyOf(list, z.array(apiKeyOutputSchema)).find((key) => key.id === created.json.id);
    if (!listed) throw new Error("the new key is not listed");
    expect(listed).toMatchObject({ name: "backend", prefix: secret.slice(0, 10) });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.json)).not.toContain(secret);
    expect(listed).not.toHaveProperty("keyHash");

    const revoked = await call(keyRoute.DELETE, { method: "DELETE", params: { id: created.json.id }, session });
    expect(revoked.status).toBe(204);
    expect((await call(keysRoute.GET, { apiKey: secret })).status).toBe(401);
    expect((await call(keyRoute.DELETE, { method: "DELETE", params: { id: created.json.id }, session })).status).toBe(404);
  });

  it("validates the name with a field error", async () => {
    const { session } = await signedInAdmin();
    const res = await call(keysRoute.POST, { body: { name: "  " }, session });
    expect(res.status).toBe(400);
    expect(errorOf(res).fields).toEqual([{ path: "name", message: "Give the key a name." }]);
  });

  it("accepts the API_KEY environment variable as an admin key", async () => {
    configure({ API_KEY: "env-provisioning-key-0123456789" });
    try {
      expect((await call(keysRoute.GET, { apiKey: "env-provisioning-key-0123456789" })).status).toBe(200);
      expect((await call(keysRoute.GET, { apiKey: "env-provisioning-key-wrong" })).status).toBe(401);
    } finally {
      configure({ API_KEY: undefined });
    }
  });
});

describe("scopes (issue 11: every key used to be an admin credential)", () => {
  beforeEach(resetDatabase);

  it("an ingest key posts events and gets 403 with the envelope on every other route", async () => {
    const { session } = await signedInAdmin();
    const hook = await call(
      hooksRoute.POST,
      { session, body: { name: "h", events: ["User.Created"], config: { url: "http://127.0.0.1:9/x" } } },
      hookOutputSchema,
    );
    const created = await call(keysRoute.POST, { body: { name: "app", scope: "ingest" }, session }, createdApiKeySchema);
    expect(created.status).toBe(201);
    expect(created.json.scope).toBe("ingest");
    const ingest = created.json.key;

    expect((await call(eventsRoute.POST, { apiKey: ingest, body: { event: "User.Created", data: { id: "u1" } } })).status).toBe(202);
    expect((await call(batchRoute.POST, { apiKey: ingest, body: [{ event: "User.Created", data: { id: "u2" } }] })).status).toBe(202);

    const INGEST_ROUTES = new Set(["POST /api/events", "POST /api/events/batch"]);
    const UNAUTHENTICATED = new Set([
      "POST /api/auth/sign-in",
      "POST /api/auth/setup",
      "GET /api/health",
      "GET /api/health/ready",
      "GET /api/openapi.json",
      "GET /api/cron/deliver",
      "POST /api/cron/deliver",
    ]);
    let refused = 0;
    for (const route of apiRouteFiles()) {
      const params = Object.fromEntries(route.paramNames.map((name) => [name, name === "id" ? hook.json.id : "x".repeat(21)]));
      for (const [method, handler] of Object.entries(await routeHandlers(route))) {
        const name = `${method} ${route.urlPath}`;
        if (INGEST_ROUTES.has(name) || UNAUTHENTICATED.has(name)) continue;
        const res = await call(handler, {
          method,
          path: route.urlPath,
          params,
          apiKey: ingest,
          rawBody: method === "GET" ? undefined : "{}",
        });
        // Logto's routes answer in Logto's code (lib/http/logto-errors.ts).
        const code =
          route.urlPath.startsWith("/api/hooks") && !/deliveries|stats|recover|retry-now/.test(route.urlPath)
            ? "auth.forbidden"
            : "forbidden";
        expect({ name, status: res.status, code: codeOf(res) }).toEqual({ name, status: 403, code });
        expect(res.text).not.toContain(hook.json.signingKey);
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(15);
  });

  it("only a signed-in admin creates and revokes keys: never an API key, admin or environment", async () => {
    const { session, apiKey } = await signedInAdmin();
    configure({ API_KEY: "env-provisioning-key-0123456789" });
    try {
      for (const key of [apiKey, "env-provisioning-key-0123456789"]) {
        const minted = await call(keysRoute.POST, { body: { name: "child", scope: "admin" }, apiKey: key });
        expect(minted.status).toBe(403);
        expect(errorOf(minted).code).toBe("forbidden");
        const target = first(await listApiKeys(ctx));
        expect((await call(keyRoute.DELETE, { method: "DELETE", params: { id: target.id }, apiKey: key })).status).toBe(403);
        // Listing stays open to admin keys (provisioning scripts read it).
        expect((await call(keysRoute.GET, { apiKey: key })).status).toBe(200);
      }
      expect(await db.apiKey.count({ where: { revokedAt: null } })).toBe(1);
      expect((await call(keysRoute.POST, { body: { name: "by the admin" }, session })).status).toBe(201);
    } finally {
      configure({ API_KEY: undefined });
    }
  });

  it("POST /api/api-keys: scope defaults to admin (what keys were before), is validated, and is listed", async () => {
    const { session } = await signedInAdmin();
    const plain = await call(keysRoute.POST, { body: { name: "old caller" }, session }, createdApiKeySchema);
    expect(plain.json.scope).toBe("admin");
    const bad = await call(keysRoute.POST, { body: { name: "x", scope: "root" }, session });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).fields).toEqual([{ path: "scope", message: 'Choose "ingest" or "admin".' }]);
    await call(keysRoute.POST, { body: { name: "app", scope: "ingest" }, session });
    const listed = (await call(keysRoute.GET, { session }, z.array(apiKeyOutputSchema))).json;
    expect(Object.fromEntries(listed.map((key) => [key.name, key.scope]))).toEqual({
      tests: "admin",
      "old caller": "admin",
      app: "ingest",
    });
  });

  it("a key stored before scopes existed is an admin key (the migration's default)", async () => {
    const secret = "whc_legacy-key-created-before-scopes";
    await db.$executeRaw`INSERT INTO "ApiKey" ("id", "name", "prefix", "keyHash") VALUES ('legacykey000000000001', 'legacy', 'whc_le', ${sha256(secret)})`;
    expect(await authenticateApiKey(ctx, secret)).toMatchObject({ keyId: "legacykey000000000001", scope: "admin" });
  });

  it("API_KEY_NEXT is accepted alongside API_KEY during a rotation", async () => {
    configure({ API_KEY: "env-old-key-0123456789abcdef", API_KEY_NEXT: "env-new-key-0123456789abcdef" });
    try {
      expect((await call(keysRoute.GET, { apiKey: "env-old-key-0123456789abcdef" })).status).toBe(200);
      expect((await call(keysRoute.GET, { apiKey: "env-new-key-0123456789abcdef" })).status).toBe(200);
      expect(environmentKeys(ctx).map((key) => key.name)).toEqual(["API_KEY", "API_KEY_NEXT"]);
      // The change-over done: API_KEY takes the new value, the old one stops working.
      configure({ API_KEY: "env-new-key-0123456789abcdef", API_KEY_NEXT: undefined });
      expect((await call(keysRoute.GET, { apiKey: "env-old-key-0123456789abcdef" })).status).toBe(401);
      expect((await call(keysRoute.GET, { apiKey: "env-new-key-0123456789abcdef" })).status).toBe(200);
    } finally {
      configure({ API_KEY: undefined, API_KEY_NEXT: undefined });
    }
  });
});

describe("the key cache under load", () => {
  beforeEach(resetDatabase);

  it("concurrent requests with a cold cache share one lookup", async () => {
    const key = await createApiKey(ctx, { name: "herd", scope: "ingest" });
    const lookups = vi.spyOn(ctx.db.apiKey, "findUnique");
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => authenticateApiKey(ctx, key.key)));
      expect(answers.map((answer) => answer?.keyId)).toEqual(Array.from({ length: 20 }, () => key.id));
      expect(lookups).toHaveBeenCalledTimes(1);
    } finally {
      lookups.mockRestore();
    }
  });

  it("refreshes an entry before it expires, so steady traffic never waits for a lookup, and the entry stays younger than the TTL", async () => {
    let now = Date.now();
    const timed = { ...ctx, clock: { now: () => new Date(now) } };
    const key = await createApiKey(ctx, { name: "steady", scope: "ingest" });
    const lookups = vi.spyOn(ctx.db.apiKey, "findUnique");
    const settled = async () => {
      await lookups.mock.results.at(-1)?.value;
      await new Promise((resolve) => setImmediate(resolve));
    };
    try {
      expect(await authenticateApiKey(timed, key.key)).not.toBeNull();
      expect(lookups).toHaveBeenCalledTimes(1);
      now += API_KEY_CACHE_TTL_MS * 0.6; // past half its life: served, and refreshed meanwhile
      expect(await authenticateApiKey(timed, key.key)).not.toBeNull();
      expect(lookups).toHaveBeenCalledTimes(2);
      await settled();
      // Revoked without a NOTIFY (only the TTL bounds it): 1.2 TTL after the first lookup the
      // refreshed entry (0.6 TTL old) still answers without a lookup in the request's path...
      await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
      now += API_KEY_CACHE_TTL_MS * 0.6;
      expect(await authenticateApiKey(timed, key.key)).not.toBeNull();
      // ...and its own refresh, started by that request, reads the revoke.
      await settled();
      expect(await authenticateApiKey(timed, key.key)).toBeNull();
    } finally {
      lookups.mockRestore();
    }
  });
});

describe("revocation by another process", () => {
  // Plays the other web server: its own connection, not this process's revokeApiKey or cache.
  const other = new pg.Client({ connectionString: ctx.databaseUrl });
  beforeAll(() => other.connect());
  afterAll(async () => {
    await other.end();
    await stopRevocationListener();
  });
  beforeEach(resetDatabase);

  const listening = () => waitFor(async () => revocationListener(ctx)?.backendPid, 5_000);
  const revokeElsewhere = (id: string) => other.query(`UPDATE "ApiKey" SET "revokedAt" = now() WHERE id = $1`, [id]);
  const notifyElsewhere = (id: string) => other.query("SELECT pg_notify($1, $2)", [API_KEY_CHANNEL, id]);

  /** The key is remembered (still accepted after the update alone) until the NOTIFY drops it. */
  async function expectRefusedOnNotify(key: { id: string; key: string }) {
    expect(await authenticateApiKey(ctx, key.key)).toEqual({ kind: "api_key", keyId: key.id, scope: "admin" });
    await revokeElsewhere(key.id);
    expect(await authenticateApiKey(ctx, key.key)).toEqual({ kind: "api_key", keyId: key.id, scope: "admin" });
    await notifyElsewhere(key.id);
    // Far below API_KEY_CACHE_TTL_MS (10 s): the notification, not the expiry, refuses it.
    await waitFor(async () => (await authenticateApiKey(ctx, key.key)) === null, 1_000);
  }

  it("refuses a key revoked elsewhere within a second of its NOTIFY", async () => {
    await listening();
    const key = await createApiKey(ctx, { name: "elsewhere" });
    await expectRefusedOnNotify(key);
    // Other keys stay accepted.
    const kept = await createApiKey(ctx, { name: "kept" });
    expect(await authenticateApiKey(ctx, kept.key)).toEqual({ kind: "api_key", keyId: kept.id, scope: "admin" });
  });

  it("revokeApiKey notifies the other processes with the key's id", async () => {
    const key = await createApiKey(ctx, { name: "revoked here" });
    const listener = new pg.Client({ connectionString: ctx.databaseUrl });
    await listener.connect();
    try {
      await listener.query(`LISTEN ${API_KEY_CHANNEL}`);
      const payloads: (string | undefined)[] = [];
      listener.on("notification", (message) => payloads.push(message.payload));
      await revokeApiKey(ctx, key.id);
      await waitFor(async () => payloads.length > 0, 2_000);
      expect(payloads).toEqual([key.id]);
    } finally {
      await listener.end();
    }
  });

  it("forgets every key when the listening connection is lost, honours a revoke made meanwhile, and listens again", async () => {
    // The logger writes JSON lines to stdout (lib/observability/log.ts).
    const warn = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const pid = await listening();
      const lost = await createApiKey(ctx, { name: "revoked during the outage" });
      expect(await authenticateApiKey(ctx, lost.key)).toEqual({ kind: "api_key", keyId: lost.id, scope: "admin" });

      await other.query("SELECT pg_terminate_backend($1)", [pid]);
      await waitFor(async () => revocationListener(ctx)?.backendPid !== pid, 5_000);
      // Revoked while nobody listens here: its NOTIFY is lost, the cleared cache reads it afresh.
      await revokeElsewhere(lost.id);
      await notifyElsewhere(lost.id);
      expect(await authenticateApiKey(ctx, lost.key)).toBeNull();
      expect(revocationListener(ctx)?.backendPid).toBeNull(); // still in the outage (it retries after 1 s)

      const again = await listening();
      expect(again).not.toBe(pid);
      await expectRefusedOnNotify(await createApiKey(ctx, { name: "revoked after the reconnect" }));

      const logged = warn.mock.calls.map((call) => String(call[0])).join("\n");
      expect(logged).toContain(`LISTEN ${API_KEY_CHANNEL} unavailable`);
      const password = new URL(ctx.databaseUrl).password;
      if (password) expect(logged).not.toContain(decodeURIComponent(password));
    } finally {
      warn.mockRestore();
    }
  });
});
