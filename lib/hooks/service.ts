// Webhook management: typed inputs in (parsed at the edge by the shared schemas in ./schemas.ts,
// built with this server's local-endpoints flag: `serverSchemaOptions()`), Logto-shaped hooks out.
// Route handlers and server actions both call these. The save-time DNS check runs here, so no
// caller can skip it.
import { first } from "@/lib/assert";
import { randomId, randomString } from "@/lib/auth/crypto";
import { openSigningKeys, sealSecret } from "@/lib/secrets/at-rest";
import type { ServiceContext } from "@/lib/context";
import { Prisma } from "@/lib/db/client";
import { isRetryableDbError } from "@/lib/db/retryable";
import { invalidInput, notFound, ServiceError } from "@/lib/errors";
import { bareHostname, ipVersion } from "@/lib/net/address";
import { resolvePublicAddresses, systemLookup, UnsafeAddressError, type LookupFn } from "@/lib/net/resolve";
import {
  hookOutput,
  type HookOutput,
  type HookSchemaOptions,
  type ParsedCreateHook,
  type ParsedRegenerateSigningKey,
  type ParsedUpdateHook,
  EVENTS_REQUIRED,
} from "./schemas";
import { heldCounts, probeNow, resetCircuit } from "@/lib/delivery/queue";
import { executionStats } from "./stats";

type HookRow = Prisma.HookGetPayload<{ include: { health: true } }>;

/** Adds the held counts of hooks whose circuit is open (the only ones that hold rows). */
async function withHeld<T extends HookRow>(hooks: T[]): Promise<(T & { heldCount: number })[]> {
  const held = await heldCounts(hooks.filter((hook) => hook.health?.openedAt).map((hook) => hook.id));
  return hooks.map((hook) => ({ ...hook, heldCount: held.get(hook.id) ?? 0 }));
}

export const HOOK_ID_LENGTH = 21;
export const SIGNING_KEY_LENGTH = 32;
const SIGNING_KEY_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const DEFAULT_PAGE_SIZE = 20;
/** A slow resolver must not hold a save: past this, the connect-time check is the guard. */
const DNS_CHECK_TIMEOUT_MS = 3_000;

export type HookServiceOptions = {
  /** DNS lookup for the save-time check; tests inject one so they never depend on the network. */
  lookup?: LookupFn;
};

export const serverSchemaOptions = (ctx: Pick<ServiceContext, "config">): HookSchemaOptions => ({
  allowLocalEndpoints: ctx.config.ALLOW_LOCAL_ENDPOINTS,
});

export const generateSigningKey = () => randomString(SIGNING_KEY_ALPHABET, SIGNING_KEY_LENGTH);

const urlError = (message: string) => invalidInput([{ path: "config.url", message }]);

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Save-time half of the SSRF guard: a host name that resolves to a private address is refused.
 * A name that does not resolve (yet, or offline) is accepted: DNS may be set up after the hook,
 * and delivery checks every resolved address again at connect time, which is the real guard.
 */
export async function assertEndpointResolvesPublic(ctx: Pick<ServiceContext, "config">, url: string, lookup: LookupFn = systemLookup) {
  if (ctx.config.ALLOW_LOCAL_ENDPOINTS) return;
  const host = bareHostname(new URL(url));
  // IP literals and local names were already judged by the schema.
  if (ipVersion(host)) return;
  try {
    await withTimeout(resolvePublicAddresses(host, lookup), DNS_CHECK_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof UnsafeAddressError && error.reason !== "unresolvable") {
      throw urlError(`The endpoint must be on the public internet: ${host} ${error.reason} address.`);
    }
  }
}

async function orNotFound<T>(id: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") throw notFound("hook", id);
    throw error;
  }
}

/** Creates the hook from `{name?, events?, event?, config: {url, headers?, retries?}, enabled?}` (createHookSchema). */
export async function createHook(ctx: ServiceContext, parsed: ParsedCreateHook, options: HookServiceOptions = {}): Promise<HookOutput> {
  if (parsed.events.length === 0 && !parsed.event) {
    throw new ServiceError("hook.missing_events", EVENTS_REQUIRED, { fields: [{ path: "events", message: EVENTS_REQUIRED }] });
  }
  await assertEndpointResolvesPublic(ctx, parsed.config.url, options.lookup);
  const hook = await ctx.db.hook.create({
    data: {
      id: randomId(HOOK_ID_LENGTH),
      name: parsed.name,
      event: parsed.event ?? null,
      events: parsed.events,
      url: parsed.config.url,
      headers: parsed.config.headers,
      retries: parsed.config.retries ?? null,
      signingKey: sealSecret(generateSigningKey()),
      enabled: parsed.enabled ?? true,
    },
  });
  return hookOutput(openSigningKeys(hook));
}

export type ListHooksQuery = {
  /** 1-based; with `pageSize` unset too, every hook is returned (Logto's unpaged list). */
  page?: number;
  pageSize?: number;
  includeStats?: boolean;
};

/** Newest first, as Logto lists them. `total` counts every hook, whatever the page. */
export async function listHooks(ctx: ServiceContext, query: ListHooksQuery = {}): Promise<{ items: HookOutput[]; total: number }> {
  const paged = query.page !== undefined || query.pageSize !== undefined;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  // Side by side on two connections: a transaction here (READ COMMITTED, a snapshot per statement)
  // made the two no more consistent, only added BEGIN and COMMIT round trips in a row.
  const [total, hooks] = await Promise.all([
    ctx.db.hook.count(),
    ctx.db.hook.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      include: { health: true },
      ...(paged ? { skip: ((query.page ?? 1) - 1) * pageSize, take: pageSize } : {}),
    }),
  ]);
  const stats = query.includeStats
    ? await executionStats(
        ctx,
        hooks.map((hook) => hook.id),
      )
    : undefined;
  return { items: (await withHeld(hooks)).map((hook) => hookOutput(openSigningKeys(hook), stats?.get(hook.id))), total };
}

export async function getHook(
  ctx: ServiceContext,
  id: string,
  { includeStats = false }: { includeStats?: boolean } = {},
): Promise<HookOutput> {
  const hook = await ctx.db.hook.findUnique({ where: { id }, include: { health: true } });
  if (!hook) throw notFound("hook", id);
  const stats = includeStats ? (await executionStats(ctx, [id])).get(id) : undefined;
  const withCount = first(await withHeld([hook]));
  return hookOutput(openSigningKeys(withCount), stats);
}

/** Partial update; `config`, when present, replaces url, headers and retries together (as Logto does). */
export async function updateHook(
  ctx: ServiceContext,
  id: string,
  parsed: ParsedUpdateHook,
  options: HookServiceOptions = {},
): Promise<HookOutput> {
  if (parsed.config) await assertEndpointResolvesPublic(ctx, parsed.config.url, options.lookup);
  const data: Prisma.HookUpdateInput = {
    ...(parsed.name !== undefined ? { name: parsed.name } : {}),
    ...(parsed.events !== undefined ? { events: parsed.events } : {}),
    ...(parsed.event !== undefined ? { event: parsed.event } : {}),
    // Whoever sets `enabled` takes over from auto-disable: its reason no longer applies.
    ...(parsed.enabled !== undefined ? { enabled: parsed.enabled, disabledReason: null, disabledAt: null } : {}),
    ...(parsed.config ? { url: parsed.config.url, headers: parsed.config.headers, retries: parsed.config.retries ?? null } : {}),
  };
  if (Object.keys(data).length === 0) return getHook(ctx, id);
  const before = parsed.enabled ? await ctx.db.hook.findUnique({ where: { id }, select: { enabled: true } }) : null;
  await orNotFound(id, ctx.db.hook.update({ where: { id }, data }));
  // Re-enabling (after an auto-disable or not) closes the circuit: held deliveries flow again.
  if (parsed.enabled && before && !before.enabled) await resetCircuit(id);
  return getHook(ctx, id);
}

/** "Retry now" on a paused webhook: its next probe goes out at once. 409 when nothing is paused. */
export async function retryHookNow(ctx: ServiceContext, id: string): Promise<HookOutput> {
  const hook = await getHook(ctx, id);
  if (!hook.enabled) throw new ServiceError("hook_disabled", "The webhook is disabled: reactivate it to resume deliveries.");
  if (!(await probeNow(id))) throw new ServiceError("circuit_closed", "Deliveries to this webhook are not paused.");
  return getHook(ctx, id);
}

const DELETE_ATTEMPTS = 5;

/**
 * Deletes the hook; its deliveries, queue rows, health and rollups cascade. The cascade locks the
 * hook's delivery rows in its own order while the worker's grouped result writes lock theirs (and
 * then the hook's health, or the Hook row when auto-disabling): PostgreSQL may abort the delete
 * as a deadlock's victim, which rolled it back whole, so it simply runs again.
 */
export async function deleteHook(ctx: ServiceContext, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { count } = await ctx.db.hook.deleteMany({ where: { id } });
      if (count === 0) throw notFound("hook", id);
      return;
    } catch (error) {
      if (attempt >= DELETE_ATTEMPTS || !isRetryableDbError(error)) throw error;
    }
  }
}

/**
 * New signing key. With `gracePeriodHours` > 0 (up to 72) the old key stays valid that long so
 * receivers can switch over; with 0 (the default, as Logto) it stops at once.
 */
export async function regenerateSigningKey(
  ctx: ServiceContext,
  id: string,
  { gracePeriodHours }: ParsedRegenerateSigningKey = { gracePeriodHours: 0 },
): Promise<HookOutput> {
  const expiresAt = gracePeriodHours > 0 ? new Date(ctx.clock.now().getTime() + gracePeriodHours * 3_600_000) : null;
  // One statement, so two concurrent rotations cannot both keep the same "previous" key.
  const count = await ctx.db.$executeRaw(Prisma.sql`
    UPDATE "Hook"
       SET "previousSigningKey" = CASE WHEN ${expiresAt !== null} THEN "signingKey" ELSE NULL END,
           "previousKeyExpiresAt" = ${expiresAt},
           "signingKey" = ${sealSecret(generateSigningKey())},
           "updatedAt" = now()
     WHERE "id" = ${id}`);
  if (count === 0) throw notFound("hook", id);
  return getHook(ctx, id);
}
