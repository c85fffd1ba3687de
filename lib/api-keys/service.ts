import { randomId, randomToken, safeEqual, sha256 } from "@/lib/auth/crypto";
import type { ServiceContext } from "@/lib/context";
import { listen, type Subscription } from "@/lib/db/notifications";
import { notFound } from "@/lib/errors";
import { lineLogger, logger } from "@/lib/observability/log";
import { apiKeyOutput, type ApiKeyScope, type CreateApiKeyInput } from "./schemas";

const KEY_PREFIX = "whc_";
// lastUsedAt is informational: write it at most once a minute per key, not on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Every ingestion request authenticates, so a key's lookup is remembered for a short while instead
 * of read per request. Revoking a key forgets it at once in this process, and in the others when
 * the revocation's NOTIFY reaches them (API_KEY_CHANNEL); this TTL bounds it when that cannot.
 * Kept while listening too: it bounds a notification lost without a visible disconnect, and lastUsedAt's staleness.
 */
export const API_KEY_CACHE_TTL_MS = 10_000;
// Bounded, so a flood of made-up keys cannot grow it; the oldest entry goes first.
const MAX_CACHED_KEYS = 1_000;
/** NOTIFY channel of revocations; the payload is the revoked key's id. */
export const API_KEY_CHANNEL = "wc_api_keys";

/** keyId null: no such key, or revoked. lastUsedAt: what this process last knows was written. */
type CachedKey = { keyId: string | null; scope: ApiKeyScope; until: number; lastUsedAt: number };

// On globalThis: the lean HTTP path and Next's bundle each load this module, and a revoke through
// either must reach the cache both authenticate with (and one listener serves both).
// The generation counts revokes: a lookup that raced one is not remembered.
const globalForKeys = globalThis as unknown as {
  apiKeyCache?: Map<string, CachedKey>;
  apiKeyGeneration?: number;
  apiKeyListener?: Subscription | null;
};
const cache = () => (globalForKeys.apiKeyCache ??= new Map<string, CachedKey>());
const nextGeneration = () => (globalForKeys.apiKeyGeneration = (globalForKeys.apiKeyGeneration ?? 0) + 1);

function forgetKey(keyId: string) {
  nextGeneration();
  for (const [hash, entry] of cache()) if (entry.keyId === keyId) cache().delete(hash);
}

function forgetAll() {
  nextGeneration();
  cache().clear();
}

/**
 * Other processes' revocations, by NOTIFY. Started by the first lookup; null without a database
 * URL or once stopped. While it is not listening, the cache falls back to its TTL alone.
 */
export function revocationListener(ctx: Pick<ServiceContext, "databaseUrl">): Subscription | null {
  if (globalForKeys.apiKeyListener === undefined) {
    globalForKeys.apiKeyListener = listen(API_KEY_CHANNEL, forgetKey, forgetAll, {
      databaseUrl: ctx.databaseUrl,
      log: lineLogger("api-keys", "warn"),
    });
  }
  return globalForKeys.apiKeyListener;
}

/** Closes the listener for good (shutdown); the connection never keeps a process alive anyway. */
export async function stopRevocationListener() {
  const listener = globalForKeys.apiKeyListener;
  globalForKeys.apiKeyListener = null;
  await listener?.close();
}

function remember(hash: string, entry: CachedKey) {
  const keys = cache();
  keys.delete(hash); // re-inserted last: Map order is the eviction order
  keys.set(hash, entry);
  if (keys.size > MAX_CACHED_KEYS) keys.delete(keys.keys().next().value as string);
}

export async function createApiKey(ctx: ServiceContext, input: CreateApiKeyInput) {
  const secret = `${KEY_PREFIX}${randomToken(24)}`;
  const record = await ctx.db.apiKey.create({
    data: {
      id: randomId(),
      name: input.name,
      scope: input.scope ?? "admin",
      prefix: secret.slice(0, KEY_PREFIX.length + 6),
      keyHash: sha256(secret),
    },
  });
  return { ...apiKeyOutput(record), key: secret };
}

export async function listApiKeys(ctx: ServiceContext) {
  const keys = await ctx.db.apiKey.findMany({ where: { revokedAt: null }, orderBy: { createdAt: "desc" } });
  return keys.map(apiKeyOutput);
}

export async function revokeApiKey(ctx: ServiceContext, id: string) {
  const { count } = await ctx.db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: ctx.clock.now() } });
  forgetKey(id);
  if (count === 0) throw notFound("api_key", id);
  // After the commit (a NOTIFY in a transaction holds a global lock until it commits). The revoke
  // stands if this fails: the other processes then stop accepting the key within the TTL.
  await ctx
    .query("SELECT pg_notify($1, $2)", [API_KEY_CHANNEL, id])
    .catch((error: Error) =>
      logger("api-keys").warn({ err: error }, "revocation NOTIFY failed; other servers refuse the key within the TTL"),
    );
}

export type ApiKeyPrincipal = { kind: "api_key"; keyId: string; scope: ApiKeyScope };

/**
 * The environment's admin keys: API_KEY, and API_KEY_NEXT while rotating (both accepted; move the
 * callers to the new one, then make it API_KEY and unset API_KEY_NEXT). Removing a variable and
 * restarting revokes it; these are the keys the console cannot revoke.
 */
export function environmentKeys(ctx: Pick<ServiceContext, "config">): { name: "API_KEY" | "API_KEY_NEXT"; value: string }[] {
  const { API_KEY, API_KEY_NEXT } = ctx.config;
  return [
    ...(API_KEY ? [{ name: "API_KEY" as const, value: API_KEY }] : []),
    ...(API_KEY_NEXT ? [{ name: "API_KEY_NEXT" as const, value: API_KEY_NEXT }] : []),
  ];
}

// One lookup per key at a time: when an entry expires under load, every request in flight would
// otherwise query (and compile) the same lookup at once.
// A lookup that started before a revoke is not joined: it may have read the key as valid.
const lookups = new Map<string, { generation: number | undefined; entry: Promise<CachedKey> }>();

function lookUp(ctx: ServiceContext, hash: string): Promise<CachedKey> {
  const generation = globalForKeys.apiKeyGeneration;
  const inFlight = lookups.get(hash);
  if (inFlight && inFlight.generation === generation) return inFlight.entry;
  const pending = ctx.db.apiKey
    .findUnique({ where: { keyHash: hash }, select: { id: true, scope: true, revokedAt: true, lastUsedAt: true } })
    .then((key) => {
      const valid = key && !key.revokedAt;
      const entry: CachedKey = {
        keyId: valid ? key.id : null,
        scope: key?.scope === "admin" ? "admin" : "ingest",
        until: ctx.clock.now().getTime() + API_KEY_CACHE_TTL_MS,
        lastUsedAt: Math.max(key?.lastUsedAt?.getTime() ?? 0, cache().get(hash)?.lastUsedAt ?? 0),
      };
      if (generation === globalForKeys.apiKeyGeneration) remember(hash, entry);
      return entry;
    })
    .finally(() => {
      if (lookups.get(hash)?.entry === pending) lookups.delete(hash);
    });
  lookups.set(hash, { generation, entry: pending });
  return pending;
}

/** Resolves a bearer secret to a key and its scope; the environment's keys are admin keys. */
export async function authenticateApiKey(ctx: ServiceContext, secret: string): Promise<ApiKeyPrincipal | null> {
  const envKey = environmentKeys(ctx).find((key) => safeEqual(secret, key.value));
  if (envKey) return { kind: "api_key", keyId: envKey.name === "API_KEY" ? "env" : "env-next", scope: "admin" };
  if (!secret.startsWith(KEY_PREFIX)) return null;
  revocationListener(ctx);
  const hash = sha256(secret);
  const now = ctx.clock.now().getTime();
  let entry = cache().get(hash);
  if (!entry || entry.until <= now) entry = await lookUp(ctx, hash);
  // Refreshed ahead of its expiry: under steady traffic no request waits for the lookup, and the
  // entry is never older than the TTL.
  else if (entry.until - now < API_KEY_CACHE_TTL_MS / 2) void lookUp(ctx, hash).catch(() => {});
  if (entry.keyId === null) return null;
  if (now - entry.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    entry.lastUsedAt = now;
    await ctx.db.apiKey.updateMany({ where: { id: entry.keyId }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: "api_key", keyId: entry.keyId, scope: entry.scope };
}
