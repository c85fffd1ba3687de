// Issue 11 item 5: signing keys are stored encrypted (AES-256-GCM under SECRETS_KEY), opened in
// one helper, re-sealed on start (plaintext rows and rows under a previous key).
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseOrThrow } from "@/lib/errors";
import { createHookSchema, regenerateSigningKeySchema } from "@/lib/hooks/schemas";
import { createHook, getHook, regenerateSigningKey, serverSchemaOptions } from "@/lib/hooks/service";
import { ctx, db, query } from "@/lib/testing/context";
import { resetDatabase } from "@/lib/testing/reset";
import { isSealed, openSecret, resealSecretsAtRest, resetSecretsKeyCache, sealSecret } from "./at-rest";

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("hex");
const input = parseOrThrow(createHookSchema(serverSchemaOptions(ctx)), {
  name: "sealed",
  events: ["User.Created"],
  config: { url: "https://hooks.example.com/in" },
});
const lookup = async () => [{ address: "93.184.215.14", family: 4 }];

function useKeys(current: string | undefined, previous?: string) {
  if (current) process.env.SECRETS_KEY = current;
  else delete process.env.SECRETS_KEY;
  if (previous) process.env.SECRETS_KEY_PREVIOUS = previous;
  else delete process.env.SECRETS_KEY_PREVIOUS;
  resetSecretsKeyCache();
}

describe("signing keys at rest", () => {
  const saved = { key: process.env.SECRETS_KEY, previous: process.env.SECRETS_KEY_PREVIOUS };
  beforeEach(async () => {
    await resetDatabase();
    useKeys(keyA);
  });
  afterEach(() => useKeys(saved.key, saved.previous));

  it("the database holds only ciphertext; the API answers the key itself", async () => {
    const hook = await createHook(ctx, input, { lookup });
    expect(hook.signingKey).toMatch(/^[0-9a-zA-Z]{32}$/);
    const row = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(isSealed(row.signingKey)).toBe(true);
    expect(row.signingKey).not.toContain(hook.signingKey);
    expect((await getHook(ctx, hook.id)).signingKey).toBe(hook.signingKey);

    const rotated = await regenerateSigningKey(ctx, hook.id, parseOrThrow(regenerateSigningKeySchema, { gracePeriodHours: 1 }));
    const after = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(isSealed(after.signingKey) && isSealed(after.previousSigningKey!)).toBe(true);
    expect(openSecret(after.signingKey)).toBe(rotated.signingKey);
    expect(openSecret(after.previousSigningKey!)).toBe(hook.signingKey);
  });

  it("rows stored in plaintext (before encryption) are sealed on start, keys unchanged", async () => {
    const hook = await createHook(ctx, input, { lookup });
    await db.$executeRaw`UPDATE "Hook" SET "signingKey" = 'plaintextkey0123456789abcdefABCD', "previousSigningKey" = 'oldplainkey0123456789abcdefABCDE'`;
    expect((await getHook(ctx, hook.id)).signingKey).toBe("plaintextkey0123456789abcdefABCD");
    expect(await resealSecretsAtRest(query)).toBe(1);
    const row = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(isSealed(row.signingKey) && isSealed(row.previousSigningKey!)).toBe(true);
    expect((await getHook(ctx, hook.id)).signingKey).toBe("plaintextkey0123456789abcdefABCD");
    expect(await resealSecretsAtRest(query)).toBe(0);
  });

  it("rotation: SECRETS_KEY_PREVIOUS opens the old values, the start re-seals them under the new key", async () => {
    const hook = await createHook(ctx, input, { lookup });
    useKeys(keyB);
    await expect(getHook(ctx, hook.id)).rejects.toThrow(/not configured/);
    useKeys(keyB, keyA);
    expect((await getHook(ctx, hook.id)).signingKey).toBe(hook.signingKey);
    expect(await resealSecretsAtRest(query)).toBe(1);
    useKeys(keyB);
    expect((await getHook(ctx, hook.id)).signingKey).toBe(hook.signingKey);
  });

  it("tampered ciphertext is refused (GCM authentication), and bad keys are named", () => {
    const sealed = sealSecret("a signing key");
    const flipped = sealed.slice(0, -2) + (sealed.endsWith("A") ? "B" : "A") + sealed.slice(-1);
    expect(() => openSecret(flipped)).toThrow();
    useKeys("too-short");
    expect(() => sealSecret("x")).toThrow(/SECRETS_KEY must be 32 random bytes/);
  });
});
