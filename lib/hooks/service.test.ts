// Service-level rules the routes cannot reach without real DNS: the save-time resolution check
// (with an injected lookup), and the shapes of generated ids and keys.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ctx, db, configure } from "@/lib/testing/context";
import { parseOrThrow, ServiceError } from "@/lib/errors";
import { ERROR_STATUS } from "@/lib/http/errors";
import type { LookupFn } from "@/lib/net/resolve";
import { resetDatabase } from "@/lib/testing/reset";
import { createHookSchema, regenerateSigningKeySchema, updateHookSchema } from "./schemas";
import { createHook, getHook, listHooks, regenerateSigningKey, serverSchemaOptions, updateHook } from "./service";

// Parsed at the edge, as the routes and server actions do.
const input = (url: string) =>
  parseOrThrow(createHookSchema(serverSchemaOptions(ctx)), { name: "dns", events: ["PostSignIn"], config: { url } });

const table: Record<string, string[]> = {
  "public.example": ["93.184.215.14"],
  "rebind.example": ["93.184.215.14", "10.0.0.7"],
  "metadata.example": ["169.254.169.254"],
  "v6private.example": ["fd12::1"],
};
const lookup: LookupFn = async (host) => {
  const addresses = table[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

async function rejection(work: Promise<unknown>) {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError)) throw new Error(`Expected a ServiceError, got ${String(error)}`);
  return error;
}

describe("save-time DNS check (ALLOW_LOCAL_ENDPOINTS off)", () => {
  beforeEach(async () => {
    await resetDatabase();
    configure({ ALLOW_LOCAL_ENDPOINTS: "false" });
  });
  afterEach(() => {
    configure({ ALLOW_LOCAL_ENDPOINTS: "true" });
  });

  it("accepts a name that resolves to public addresses", async () => {
    const hook = await createHook(ctx, input("https://public.example/hook"), { lookup });
    expect(hook.config.url).toBe("https://public.example/hook");
  });

  it.each([
    ["rebind.example", "rebind.example resolves to a private address."],
    ["metadata.example", "metadata.example resolves to a link-local / cloud metadata address."],
    ["v6private.example", "v6private.example resolves to a unique-local address."],
  ])("refuses %s with a field error on config.url", async (host, tail) => {
    const error = await rejection(createHook(ctx, input(`https://${host}/hook`), { lookup }));
    expect(ERROR_STATUS[error.code]).toBe(400);
    expect(error.fields).toEqual([{ path: "config.url", message: `The endpoint must be on the public internet: ${tail}` }]);
    expect(await db.hook.count()).toBe(0);
  });

  it("checks the URL of a PATCHed config as well", async () => {
    const hook = await createHook(ctx, input("https://public.example/hook"), { lookup });
    const error = await rejection(
      updateHook(ctx, hook.id, parseOrThrow(updateHookSchema(serverSchemaOptions(ctx)), { config: { url: "https://rebind.example/" } }), {
        lookup,
      }),
    );
    expect(error.fields?.[0]?.path).toBe("config.url");
    expect((await getHook(ctx, hook.id)).config.url).toBe("https://public.example/hook");
  });

  it("accepts names that do not resolve (yet): delivery checks again at connect time", async () => {
    const hook = await createHook(ctx, input("https://not-yet-in-dns.example/"), { lookup });
    expect(hook.config.url).toBe("https://not-yet-in-dns.example/");
    const empty: LookupFn = async () => [];
    await expect(createHook(ctx, input("https://empty.example/"), { lookup: empty })).resolves.toMatchObject({ name: "dns" });
  });

  it("does not wait forever on a resolver that never answers", async () => {
    const hanging: LookupFn = () => new Promise(() => {});
    const started = Date.now();
    await createHook(ctx, input("https://slow.example/"), { lookup: hanging });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("skips the lookup entirely when local endpoints are allowed", async () => {
    configure({ ALLOW_LOCAL_ENDPOINTS: "true" });
    let called = false;
    const spy: LookupFn = async (host) => {
      called = true;
      return lookup(host);
    };
    await createHook(ctx, input("https://rebind.example/"), { lookup: spy });
    expect(called).toBe(false);
  });
});

describe("service shapes", () => {
  beforeEach(resetDatabase);

  it("makes 21-char [0-9a-z] ids and 32-char [0-9a-zA-Z] keys", async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const hook = await createHook(ctx, input("https://public.example/"));
      expect(hook.id).toMatch(/^[0-9a-z]{21}$/);
      expect(hook.signingKey).toMatch(/^[0-9a-zA-Z]{32}$/);
      keys.add(hook.signingKey);
      keys.add((await regenerateSigningKey(ctx, hook.id)).signingKey);
    }
    expect(keys.size).toBe(10);
  });

  it("lists unpaged by default and pages when asked", async () => {
    for (let i = 0; i < 3; i++) await createHook(ctx, input("https://public.example/"));
    expect((await listHooks(ctx)).items).toHaveLength(3);
    const page = await listHooks(ctx, { page: 2, pageSize: 2, includeStats: true });
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.executionStats).toEqual({ successCount: 0, requestCount: 0 });
  });

  it("rejects a grace period that is not a number", async () => {
    const hook = await createHook(ctx, input("https://public.example/"));
    const error = await rejection(
      Promise.resolve().then(() =>
        regenerateSigningKey(ctx, hook.id, parseOrThrow(regenerateSigningKeySchema, { gracePeriodHours: "24" })),
      ),
    );
    expect(error.fields).toEqual([{ path: "gracePeriodHours", message: "gracePeriodHours must be a number of hours." }]);
  });
});
