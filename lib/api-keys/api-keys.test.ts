import { beforeEach, describe, expect, it } from "vitest";
import * as keyRoute from "@/app/api/api-keys/[id]/route";
import * as keysRoute from "@/app/api/api-keys/route";
import { db } from "@/lib/db/client";
import { resetConfigCache } from "@/lib/config";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { call } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";

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
