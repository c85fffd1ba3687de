import { beforeEach, describe, expect, it } from "vitest";
import * as meRoute from "@/app/api/auth/me/route";
import * as setupRoute from "@/app/api/auth/setup/route";
import * as signInRoute from "@/app/api/auth/sign-in/route";
import * as signOutRoute from "@/app/api/auth/sign-out/route";
import { ctx, db } from "@/lib/testing/context";
import { call, errorOf, sessionFromCookie } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";
import { MAX_CONCURRENT_HASHES, MAX_QUEUED_HASHES } from "./crypto";
import { seedAdminFromEnv, validateSession } from "./service";
import { issueSetupToken } from "./setup-token";
import { ACCOUNT_FREE_FAILURES, ADDRESS_MAX_FAILURES, PAIR_MAX_FAILURES } from "./throttle";

const credentials = { email: "Admin@Example.com", password: "correct horse battery" };

describe("setup and sign-in", () => {
  beforeEach(resetDatabase);

  it("creates the first admin once, hashed with argon2id, and signs them in", async () => {
    const res = await call(setupRoute.POST, { body: credentials });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http in this test
    const user = await db.adminUser.findFirstOrThrow();
    expect(user.email).toBe("admin@example.com");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await validateSession(ctx, sessionFromCookie(cookie))).toMatchObject({ email: "admin@example.com" });

    const again = await call(setupRoute.POST, { body: { email: "other@example.com", password: "another password" } });
    expect(again.status).toBe(409);
    expect(await db.adminUser.count()).toBe(1);
  });

  it("rejects a weak setup password with a field error", async () => {
    const res = await call(setupRoute.POST, { body: { email: "a@b.co", password: "short" } });
    expect(res.status).toBe(400);
    expect(errorOf(res).fields).toEqual([{ path: "password", message: "Use at least 12 characters." }]);
    expect(await db.adminUser.count()).toBe(0);
  });

  // Issue 11 (the old code took any 10 characters, and ADMIN_PASSWORD of any length).
  it.each([
    ["passwordpassword", "This password is too common. Try a few unrelated words."],
    ["Admin123456!", "This password is too common. Try a few unrelated words."],
    ["aaaaaaaaaaaaaaaa", "Use more different characters."],
    ["12121212121212", "Use more different characters."],
    ["qwerty2026!!", "This password is too common. Try a few unrelated words."],
  ])("refuses the weak setup password %j", async (password, message) => {
    const res = await call(setupRoute.POST, { body: { email: "a@b.co", password } });
    expect(res.status).toBe(400);
    expect(errorOf(res).fields).toEqual([{ path: "password", message }]);
  });

  it("refuses a weak ADMIN_PASSWORD at start instead of seeding it", async () => {
    await expect(seedAdminFromEnv(ctx, { ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "admin" })).rejects.toThrow(
      /ADMIN_PASSWORD is too weak/,
    );
    await expect(seedAdminFromEnv(ctx, { ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "password1234" })).rejects.toThrow(/too common/);
    expect(await db.adminUser.count()).toBe(0);
  });

  it("first-run setup from another machine needs the one-time token printed on the terminal", async () => {
    const remote = { address: "198.51.100.23" };
    const none = await call(setupRoute.POST, { body: credentials, client: remote });
    expect(none.status).toBe(403);
    expect(none.json).toMatchObject({ code: "setup_token_required", fields: [{ path: "setupToken" }] });
    const token = issueSetupToken();
    expect((await call(setupRoute.POST, { body: { ...credentials, setupToken: "guessed" }, client: remote })).status).toBe(403);
    expect(await db.adminUser.count()).toBe(0);
    const ok = await call(setupRoute.POST, { body: { ...credentials, setupToken: token }, client: remote });
    expect(ok.status).toBe(201);
    // A browser on the server's own machine needs none (the default client in these tests is 127.0.0.1).
    await resetDatabase();
    expect((await call(setupRoute.POST, { body: credentials, client: { address: "::1" } })).status).toBe(201);
  });

  it("a reverse proxy on this machine not in TRUSTED_PROXIES does not make every visitor local for setup", async () => {
    // The socket is the proxy's 127.0.0.1; the request says it was forwarded for someone else.
    // As the run command's server stamps it from the raw request (lib/http/client.ts), before
    // Next's router adds X-Forwarded-* of its own to every request.
    const viaProxy = { address: "127.0.0.1", forwarded: true };
    const withHeaders: Record<string, string>[] = [{}, { "x-forwarded-for": "203.0.113.9" }];
    for (const headers of withHeaders) {
      const res = await call(setupRoute.POST, { body: credentials, headers, client: viaProxy });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe("setup_token_required");
    }
    expect(await db.adminUser.count()).toBe(0);
    // Next's own X-Forwarded-For on a local request does not make it remote.
    expect((await call(setupRoute.POST, { body: credentials, headers: { "x-forwarded-for": "127.0.0.1" } })).status).toBe(201);
    await resetDatabase();
    const token = issueSetupToken();
    expect((await call(setupRoute.POST, { body: { ...credentials, setupToken: token }, client: viaProxy })).status).toBe(201);
  });

  it("signs in with the right password and refuses a wrong one", async () => {
    await call(setupRoute.POST, { body: credentials });
    const ok = await call(signInRoute.POST, { body: credentials });
    expect(ok.status).toBe(200);
    const token = sessionFromCookie(ok.headers.get("set-cookie"));
    expect((await call(meRoute.GET, { session: token })).json).toEqual({ kind: "session", email: "admin@example.com" });

    const bad = await call(signInRoute.POST, { body: { ...credentials, password: "wrong password" } });
    expect(bad.status).toBe(401);
    expect(errorOf(bad).code).toBe("invalid_credentials");
    expect(bad.headers.get("set-cookie")).toBeNull();
  });

  it("locks an email after repeated failures from one address, even with the right password", async () => {
    await call(setupRoute.POST, { body: credentials });
    const attacker = { address: "203.0.113.66" };
    for (let i = 0; i < PAIR_MAX_FAILURES; i++) {
      expect((await call(signInRoute.POST, { body: { ...credentials, password: `nope-${i}` }, client: attacker })).status).toBe(401);
    }
    const locked = await call(signInRoute.POST, { body: credentials, client: attacker });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client address is not locked out by someone else's failures.
    const elsewhere = await call(signInRoute.POST, { body: credentials, client: { address: "198.51.100.10" } });
    expect(elsewhere.status).toBe(200);
  });

  // Issue 11 (fails on the old code: the address came from X-Forwarded-For as the client sent it).
  it("a rotating X-Forwarded-For does not reset the count, nor aim it at the admin's address", async () => {
    await call(setupRoute.POST, { body: credentials });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const headers = { "x-forwarded-for": i % 2 ? `198.51.100.${i}` : "198.51.100.10" };
      statuses.push(
        (await call(signInRoute.POST, { body: { ...credentials, password: `nope-${i}` }, headers, client: { address: "203.0.113.66" } }))
          .status,
      );
    }
    expect(statuses.slice(0, PAIR_MAX_FAILURES)).toEqual(new Array(PAIR_MAX_FAILURES).fill(401));
    expect(statuses.slice(PAIR_MAX_FAILURES)).toEqual(new Array(12 - PAIR_MAX_FAILURES).fill(429));
    // The admin's real address (named in the forged header) signs in.
    expect((await call(signInRoute.POST, { body: credentials, client: { address: "198.51.100.10" } })).status).toBe(200);
  });

  it("caps failures per address across emails (password spraying)", async () => {
    const sprayer = { address: "203.0.113.77" };
    for (let i = 0; i < ADDRESS_MAX_FAILURES; i++) {
      const res = await call(signInRoute.POST, { body: { email: `user${i}@example.com`, password: "Winter2026!" }, client: sprayer });
      expect(res.status).toBe(401);
    }
    const next = await call(signInRoute.POST, { body: { email: "fresh@example.com", password: "Winter2026!" }, client: sprayer });
    expect(next.status).toBe(429);
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(60);
  });

  it("slows one account attacked from many addresses, but not from the owner's known address", async () => {
    await call(setupRoute.POST, { body: credentials });
    const owner = { address: "198.51.100.10" };
    expect((await call(signInRoute.POST, { body: credentials, client: owner })).status).toBe(200);
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      const res = await call(signInRoute.POST, { body: { ...credentials, password: "guess" }, client: { address: `203.0.113.${i + 1}` } });
      expect(res.status).toBe(401);
    }
    const slowed = await call(signInRoute.POST, { body: { ...credentials, password: "guess" }, client: { address: "203.0.113.200" } });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // Not a lock-out: the owner, from an address they signed in from before, gets in at once.
    expect((await call(signInRoute.POST, { body: credentials, client: owner })).status).toBe(200);
  });

  it("bounds concurrent password hashing: the excess gets a quick 503 or 429, the API stays free", async () => {
    const burst = MAX_CONCURRENT_HASHES + MAX_QUEUED_HASHES + 8;
    const results = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        call(signInRoute.POST, {
          body: { email: `nobody${i}@example.com`, password: "wrong password" },
          client: { address: `203.0.113.${i + 1}` },
        }),
      ),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(MAX_CONCURRENT_HASHES);
    const busy = results.find((res) => res.status === 503)!;
    expect(errorOf(busy).code).toBe("server_busy");
    expect(busy.headers.get("retry-after")).toBe("1");
    // One address cannot hold more than two of the slots either.
    const same = await Promise.all(
      Array.from({ length: 6 }, () =>
        call(signInRoute.POST, { body: { email: "x@example.com", password: "wrong" }, client: { address: "203.0.113.250" } }),
      ),
    );
    expect(same.some((res) => res.status === 429)).toBe(true);
  });

  it("signs out: the session stops working and the cookie is cleared", async () => {
    const setup = await call(setupRoute.POST, { body: credentials });
    const token = sessionFromCookie(setup.headers.get("set-cookie"));
    const out = await call(signOutRoute.POST, { method: "POST", session: token });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await call(meRoute.GET, { session: token })).status).toBe(401);
  });

  it("expires sessions", async () => {
    const setup = await call(setupRoute.POST, { body: credentials });
    const token = sessionFromCookie(setup.headers.get("set-cookie"))!;
    await db.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await validateSession(ctx, token)).toBeNull();
    expect((await call(meRoute.GET, { session: token })).status).toBe(401);
  });

  it("refuses cookie-authenticated changes from another origin", async () => {
    const setup = await call(setupRoute.POST, { body: credentials });
    const token = sessionFromCookie(setup.headers.get("set-cookie"));
    const res = await call(signOutRoute.POST, { method: "POST", session: token, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect((await call(meRoute.GET, { session: token })).status).toBe(200);
  });

  it("seeds an admin from ADMIN_EMAIL / ADMIN_PASSWORD only when none exists", async () => {
    expect(await seedAdminFromEnv(ctx, { ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "seeded password" })).toBe(true);
    expect(await seedAdminFromEnv(ctx, { ADMIN_EMAIL: "two@example.com", ADMIN_PASSWORD: "seeded password" })).toBe(false);
    const ok = await call(signInRoute.POST, { body: { email: "ops@example.com", password: "seeded password" } });
    expect(ok.status).toBe(200);
  });
});
