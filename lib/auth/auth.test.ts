import { beforeEach, describe, expect, it } from "vitest";
import * as meRoute from "@/app/api/auth/me/route";
import * as setupRoute from "@/app/api/auth/setup/route";
import * as signInRoute from "@/app/api/auth/sign-in/route";
import * as signOutRoute from "@/app/api/auth/sign-out/route";
import { db } from "@/lib/db/client";
import { call, sessionFromCookie } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";
import { seedAdminFromEnv, THROTTLE_MAX_FAILURES, validateSession } from "./service";

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
    expect(await validateSession(sessionFromCookie(cookie))).toMatchObject({ email: "admin@example.com" });

    const again = await call(setupRoute.POST, { body: { email: "other@example.com", password: "another password" } });
    expect(again.status).toBe(409);
    expect(await db.adminUser.count()).toBe(1);
  });

  it("rejects a weak setup password with a field error", async () => {
    const res = await call(setupRoute.POST, { body: { email: "a@b.co", password: "short" } });
    expect(res.status).toBe(400);
    expect(res.json.fields).toEqual([{ path: "password", message: "Use at least 10 characters." }]);
    expect(await db.adminUser.count()).toBe(0);
  });

  it("signs in with the right password and refuses a wrong one", async () => {
    await call(setupRoute.POST, { body: credentials });
    const ok = await call(signInRoute.POST, { body: credentials });
    expect(ok.status).toBe(200);
    const token = sessionFromCookie(ok.headers.get("set-cookie"));
    expect((await call(meRoute.GET, { session: token })).json).toEqual({ kind: "session", email: "admin@example.com" });

    const bad = await call(signInRoute.POST, { body: { ...credentials, password: "wrong password" } });
    expect(bad.status).toBe(401);
    expect(bad.json.code).toBe("invalid_credentials");
    expect(bad.headers.get("set-cookie")).toBeNull();
  });

  it("locks an email after repeated failures, even with the right password", async () => {
    await call(setupRoute.POST, { body: credentials });
    for (let i = 0; i < THROTTLE_MAX_FAILURES; i++) {
      expect((await call(signInRoute.POST, { body: { ...credentials, password: `nope-${i}` } })).status).toBe(401);
    }
    const locked = await call(signInRoute.POST, { body: credentials });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client address is not locked out by someone else's failures.
    const elsewhere = await call(signInRoute.POST, { body: credentials, headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(elsewhere.status).toBe(200);
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
    expect(await validateSession(token)).toBeNull();
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
    expect(await seedAdminFromEnv({ ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "seeded password" })).toBe(true);
    expect(await seedAdminFromEnv({ ADMIN_EMAIL: "two@example.com", ADMIN_PASSWORD: "seeded password" })).toBe(false);
    const ok = await call(signInRoute.POST, { body: { email: "ops@example.com", password: "seeded password" } });
    expect(ok.status).toBe(200);
  });
});
