import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as keyRoute from "@/app/api/api-keys/[id]/route";
import * as keysRoute from "@/app/api/api-keys/route";
import {
  API_KEY_CHANNEL,
  authenticateApiKey,
  createApiKey,
  revocationListener,
  revokeApiKey,
  stopRevocationListener,
} from "@/lib/api-keys/service";
import { db } from "@/lib/db/client";
import { resetConfigCache } from "@/lib/config";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";
import { waitFor } from "@/lib/testing/wait";

describe("API keys", () => {
  beforeEach(resetDatabase);

  it("creates a key shown once, stores only its hash, authenticates with it, and revokes it", async () => {
    const { session } = await signedInAdmin();
    const created = await call(keysRoute.POST, { body: { name: "backend" }, session });
    expect(created.status).toBe(201);
    const secret = created.json.key as string;
    expect(secret).toMatch(/^whc_[A-Za-z0-9_-]{32}$/);
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: created.json.id as string } });
    expect(stored.keyHash).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(secret);

    const list = await call(keysRoute.GET, { apiKey: secret });
    expect(list.status).toBe(200);
    const listed = (list.json as unknown as Record<string, unknown>[]).find((key) => key.id === created.json.id)!;
    expect(listed).toMatchObject({ name: "backend", prefix: secret.slice(0, 10) });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.json)).not.toContain(secret);
    expect(listed).not.toHaveProperty("keyHash");

    const revoked = await call(keyRoute.DELETE, { method: "DELETE", params: { id: created.json.id as string }, session });
    expect(revoked.status).toBe(204);
    expect((await call(keysRoute.GET, { apiKey: secret })).status).toBe(401);
    expect((await call(keyRoute.DELETE, { method: "DELETE", params: { id: created.json.id as string }, session })).status).toBe(404);
  });

  it("validates the name with a field error", async () => {
    const { session } = await signedInAdmin();
    const res = await call(keysRoute.POST, { body: { name: "  " }, session });
    expect(res.status).toBe(400);
    expect(res.json.fields).toEqual([{ path: "name", message: "Give the key a name." }]);
  });

  it("accepts the API_KEY environment variable as an admin key", async () => {
    process.env.API_KEY = "env-provisioning-key-0123456789";
    resetConfigCache();
    try {
      expect((await call(keysRoute.GET, { apiKey: "env-provisioning-key-0123456789" })).status).toBe(200);
      expect((await call(keysRoute.GET, { apiKey: "env-provisioning-key-wrong" })).status).toBe(401);
    } finally {
      delete process.env.API_KEY;
      resetConfigCache();
    }
  });
});

describe("revocation by another process", () => {
  // Plays the other web server: its own connection, not this process's revokeApiKey or cache.
  const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => other.connect());
  afterAll(async () => {
    await other.end();
    await stopRevocationListener();
  });
  beforeEach(resetDatabase);

  const listening = () => waitFor(async () => revocationListener()?.backendPid, 5_000);
  const revokeElsewhere = (id: string) => other.query(`UPDATE "ApiKey" SET "revokedAt" = now() WHERE id = $1`, [id]);
  const notifyElsewhere = (id: string) => other.query("SELECT pg_notify($1, $2)", [API_KEY_CHANNEL, id]);

  /** The key is remembered (still accepted after the update alone) until the NOTIFY drops it. */
  async function expectRefusedOnNotify(key: { id: string; key: string }) {
    expect(await authenticateApiKey(key.key)).toEqual({ kind: "api_key", keyId: key.id });
    await revokeElsewhere(key.id);
    expect(await authenticateApiKey(key.key)).toEqual({ kind: "api_key", keyId: key.id });
    await notifyElsewhere(key.id);
    // Far below API_KEY_CACHE_TTL_MS (10 s): the notification, not the expiry, refuses it.
    await waitFor(async () => (await authenticateApiKey(key.key)) === null, 1_000);
  }

  it("refuses a key revoked elsewhere within a second of its NOTIFY", async () => {
    await listening();
    const key = await createApiKey({ name: "elsewhere" });
    await expectRefusedOnNotify(key);
    // Other keys stay accepted.
    const kept = await createApiKey({ name: "kept" });
    expect(await authenticateApiKey(kept.key)).toEqual({ kind: "api_key", keyId: kept.id });
  });

  it("revokeApiKey notifies the other processes with the key's id", async () => {
    const key = await createApiKey({ name: "revoked here" });
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    try {
      await listener.query(`LISTEN ${API_KEY_CHANNEL}`);
      const payloads: (string | undefined)[] = [];
      listener.on("notification", (message) => payloads.push(message.payload));
      await revokeApiKey(key.id);
      await waitFor(async () => payloads.length > 0, 2_000);
      expect(payloads).toEqual([key.id]);
    } finally {
      await listener.end();
    }
  });

  it("forgets every key when the listening connection is lost, honours a revoke made meanwhile, and listens again", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const pid = await listening();
      const lost = await createApiKey({ name: "revoked during the outage" });
      expect(await authenticateApiKey(lost.key)).toEqual({ kind: "api_key", keyId: lost.id });

      await other.query("SELECT pg_terminate_backend($1)", [pid]);
      await waitFor(async () => revocationListener()?.backendPid !== pid, 5_000);
      // Revoked while nobody listens here: its NOTIFY is lost, the cleared cache reads it afresh.
      await revokeElsewhere(lost.id);
      await notifyElsewhere(lost.id);
      expect(await authenticateApiKey(lost.key)).toBeNull();
      expect(revocationListener()?.backendPid).toBeNull(); // still in the outage (it retries after 1 s)

      const again = await listening();
      expect(again).not.toBe(pid);
      await expectRefusedOnNotify(await createApiKey({ name: "revoked after the reconnect" }));

      const logged = warn.mock.calls.map((call) => String(call[0])).join("\n");
      expect(logged).toContain(`LISTEN ${API_KEY_CHANNEL} unavailable`);
      const password = new URL(process.env.DATABASE_URL!).password;
      if (password) expect(logged).not.toContain(decodeURIComponent(password));
    } finally {
      warn.mockRestore();
    }
  });
});
