import { randomId, randomToken, safeEqual, sha256 } from "@/lib/auth/crypto";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";
import { apiKeyOutput, type CreateApiKeyInput } from "./schemas";

const KEY_PREFIX = "whc_";
// lastUsedAt is informational: write it at most once a minute per key, not on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

export async function createApiKey(input: CreateApiKeyInput) {
  const secret = `${KEY_PREFIX}${randomToken(24)}`;
  const record = await db.apiKey.create({
    data: { id: randomId(), name: input.name, prefix: secret.slice(0, KEY_PREFIX.length + 6), keyHash: sha256(secret) },
  });
  return { ...apiKeyOutput(record), key: secret };
}

export async function listApiKeys() {
  const keys = await db.apiKey.findMany({ where: { revokedAt: null }, orderBy: { createdAt: "desc" } });
  return keys.map(apiKeyOutput);
}

export async function revokeApiKey(id: string) {
  const { count } = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw notFound("API key");
}

export type ApiKeyPrincipal = { kind: "api_key"; keyId: string | "env" };

/** Resolves a bearer secret to a key; the API_KEY environment variable is one more admin key. */
export async function authenticateApiKey(secret: string): Promise<ApiKeyPrincipal | null> {
  const envKey = config().API_KEY;
  if (envKey && safeEqual(secret, envKey)) return { kind: "api_key", keyId: "env" };
  if (!secret.startsWith(KEY_PREFIX)) return null;
  const key = await db.apiKey.findUnique({ where: { keyHash: sha256(secret) } });
  if (!key || key.revokedAt) return null;
  const now = Date.now();
  if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: "api_key", keyId: key.id };
}
