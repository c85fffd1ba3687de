// The session cookie and CSRF: cookie flags, no session fixation, server-side sign-out, and no
// cookie-authenticated (or cookie-setting) change from another site.
import { beforeAll, describe, expect, it } from "vitest";
import * as meRoute from "@/app/api/auth/me/route";
import * as setupRoute from "@/app/api/auth/setup/route";
import * as signInRoute from "@/app/api/auth/sign-in/route";
import * as signOutRoute from "@/app/api/auth/sign-out/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { sha256 } from "@/lib/auth/crypto";
import { SESSION_COOKIE } from "@/lib/auth/service";
import { db, configure } from "@/lib/testing/context";
import { call, codeOf, sessionFromCookie, TEST_ORIGIN } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";
import { apiRouteFiles, routeHandlers } from "@/lib/testing/routes";

const ADMIN = { email: "admin@example.com", password: "correct horse battery" };
const HTTPS_ORIGIN = "https://console.test";
/** Routes that take no session (cron: CRON_SECRET only); the cookie-setting ones are checked below. */
const NOT_COOKIE_ROUTES = new Set(["POST /api/auth/sign-in", "POST /api/auth/setup", "POST /api/cron/deliver"]);

/** Set-Cookie as a name, a value and lower-cased attributes. */
function parseSetCookie(header: string | null) {
  expect(header).toBeTruthy();
  const [pair = "", ...attributes] = header!.split(";").map((part) => part.trim());
  const [name, ...value] = pair.split("=");
  const attrs = new Map(
    attributes.map((attribute) => {
      const [key = "", ...rest] = attribute.split("=");
      return [key.toLowerCase(), rest.join("=")] as const;
    }),
  );
  return { name, value: value.join("="), attrs };
}

async function signIn(options: { origin?: string; headers?: Record<string, string>; client?: { proto: "https" } } = {}) {
  const res = await call(signInRoute.POST, { body: ADMIN, ...options });
  expect(res.status).toBe(200);
  return res;
}

const isSignedIn = async (token: string) => (await call(meRoute.GET, { session: token })).status === 200;

beforeAll(async () => {
  await resetDatabase();
  const res = await call(setupRoute.POST, { body: ADMIN });
  expect(res.status).toBe(201);
});

describe("session cookie flags", () => {
  it("HttpOnly, SameSite=Lax, Path=/, an expiry, and no Secure over plain http", async () => {
    const cookie = parseSetCookie((await signIn()).headers.get("set-cookie"));
    expect(cookie.name).toBe(SESSION_COOKIE);
    expect(cookie.attrs.has("httponly")).toBe(true);
    expect(cookie.attrs.get("samesite")).toBe("Lax");
    expect(cookie.attrs.get("path")).toBe("/");
    expect(new Date(cookie.attrs.get("expires")!).getTime()).toBeGreaterThan(Date.now());
    expect(cookie.attrs.has("secure")).toBe(false);
    expect(cookie.attrs.has("domain")).toBe(false); // host-only: no sibling subdomain receives it
  });

  it("not Secure because a client says X-Forwarded-Proto: https (only a trusted proxy's word counts)", async () => {
    const cookie = parseSetCookie((await signIn({ headers: { "x-forwarded-proto": "https" } })).headers.get("set-cookie"));
    expect(cookie.attrs.has("secure")).toBe(false);
  });

  it("Secure when the request came over https, directly or through a trusted proxy", async () => {
    for (const options of [{ origin: HTTPS_ORIGIN }, { client: { proto: "https" as const } }]) {
      const cookie = parseSetCookie((await signIn(options)).headers.get("set-cookie"));
      expect(cookie.attrs.has("secure")).toBe(true);
      expect(cookie.attrs.has("httponly")).toBe(true);
      expect(cookie.attrs.get("samesite")).toBe("Lax");
    }
  });

  it("the setup answer sets the same flags", async () => {
    await resetDatabase();
    const res = await call(setupRoute.POST, { body: ADMIN, origin: HTTPS_ORIGIN });
    expect(res.status).toBe(201);
    const cookie = parseSetCookie(res.headers.get("set-cookie"));
    expect([...cookie.attrs.keys()].sort()).toEqual(["expires", "httponly", "path", "samesite", "secure"]);
  });

  it("the token is 256 random bits and only its hash is stored", async () => {
    const token = sessionFromCookie((await signIn()).headers.get("set-cookie"))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db.session.findMany();
    expect(rows.some((row) => row.tokenHash === sha256(token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe("session fixation", () => {
  it("signing in issues a new token whatever cookie the request carried; a planted one stays invalid", async () => {
    const planted = "attacker-chosen-token-AAAAAAAAAAAAAAAAAAAAAAAAAA";
    const res = await signIn({ headers: { cookie: `${SESSION_COOKIE}=${planted}` } });
    const issued = sessionFromCookie(res.headers.get("set-cookie"))!;
    expect(issued).not.toBe(planted);
    expect(await isSignedIn(issued)).toBe(true);
    expect(await isSignedIn(planted)).toBe(false);
  });

  it("a valid session carried into a new sign-in is not reused as the new one", async () => {
    const first = sessionFromCookie((await signIn()).headers.get("set-cookie"))!;
    const second = sessionFromCookie((await signIn({ headers: { cookie: `${SESSION_COOKIE}=${first}` } })).headers.get("set-cookie"))!;
    expect(second).not.toBe(first);
    expect(await isSignedIn(second)).toBe(true);
  });

  it("a failed sign-in sets no cookie", async () => {
    const res = await call(signInRoute.POST, { body: { ...ADMIN, password: "wrong password" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("sign-out", () => {
  it("invalidates the session on the server, not only in the browser", async () => {
    const token = sessionFromCookie((await signIn()).headers.get("set-cookie"))!;
    const res = await call(signOutRoute.POST, { session: token, method: "POST" });
    expect(res.status).toBe(204);
    const cleared = parseSetCookie(res.headers.get("set-cookie"));
    expect(cleared.value).toBe("");
    expect(cleared.attrs.get("max-age")).toBe("0");
    expect(cleared.attrs.has("httponly")).toBe(true);
    // A copy of the old cookie (stolen, or kept by another tab) no longer works.
    expect(await isSignedIn(token)).toBe(false);
    expect(await db.session.count({ where: { tokenHash: sha256(token) } })).toBe(0);
    expect((await call(signOutRoute.POST, { session: token, method: "POST" })).status).toBe(401);
  });
});

describe("cross-origin changes with the session cookie", () => {
  const CROSS_SITE: [string, Record<string, string>][] = [
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["a look-alike Origin", { origin: "http://console.test.evil.example" }],
    ["another port", { origin: "http://console.test:8080" }],
    // Issue 11: the scheme counts, and forwarded headers from an untrusted client do not.
    ["another scheme", { origin: "https://console.test" }],
    ["a forged X-Forwarded-Host", { origin: "https://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }],
    ["Origin: null", { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { origin: TEST_ORIGIN, "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { origin: TEST_ORIGIN, "sec-fetch-site": "same-site" }],
    ["cross-site without Origin", { "sec-fetch-site": "cross-site" }],
  ];

  it("every cookie-authenticated mutation is refused with 403, and nothing changes", async () => {
    const token = sessionFromCookie((await signIn()).headers.get("set-cookie"))!;
    const before = { hooks: await db.hook.count(), keys: await db.apiKey.count(), sessions: await db.session.count() };
    let checked = 0;
    for (const route of apiRouteFiles()) {
      const params = Object.fromEntries(route.paramNames.map((name) => [name, "x".repeat(21)]));
      for (const [method, handler] of Object.entries(await routeHandlers(route))) {
        if (method === "GET" || NOT_COOKIE_ROUTES.has(`${method} ${route.urlPath}`)) continue;
        for (const [label, headers] of [...CROSS_SITE, ["no Origin at all", {}] as [string, Record<string, string>]]) {
          // An empty Origin keeps call() from adding our own; browsers that omit it look the same.
          const res = await call(handler, {
            method,
            path: route.urlPath,
            params,
            session: token,
            headers: { origin: "", ...headers },
            body: {},
          });
          expect({ route: `${method} ${route.urlPath}`, label, status: res.status, code: codeOf(res) }).toEqual({
            route: `${method} ${route.urlPath}`,
            label,
            status: 403,
            // Logto's routes answer in Logto's code (lib/http/logto-errors.ts).
            code:
              route.urlPath.startsWith("/api/hooks") && !/deliveries|stats|recover|retry-now/.test(route.urlPath)
                ? "auth.forbidden"
                : "forbidden",
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8 * 8);
    expect({ hooks: await db.hook.count(), keys: await db.apiKey.count(), sessions: await db.session.count() }).toEqual(before);
    expect(await isSignedIn(token)).toBe(true); // the refused sign-outs did not sign out
  });

  it("the same requests from our own origin go through", async () => {
    const token = sessionFromCookie((await signIn()).headers.get("set-cookie"))!;
    const body = { name: "same origin", events: ["User.Created"], config: { url: "http://127.0.0.1:9/hook" } };
    expect((await call(hooksRoute.POST, { session: token, body })).status).toBe(201);
    expect((await call(hooksRoute.POST, { session: token, body, headers: { "sec-fetch-site": "same-origin" } })).status).toBe(201);
  });

  it("compares against APP_URL when set, and against a trusted proxy's scheme and host", async () => {
    const token = sessionFromCookie((await signIn()).headers.get("set-cookie"))!;
    const body = { name: "behind a proxy", events: ["User.Created"], config: { url: "http://127.0.0.1:9/hook" } };
    // The proxy terminated TLS for hooks.example.com and forwarded to http://console.test.
    const proxied = { proto: "https" as const, host: "hooks.example.com" };
    expect(
      (await call(hooksRoute.POST, { session: token, body, client: proxied, headers: { origin: "https://hooks.example.com" } })).status,
    ).toBe(201);
    expect(
      (await call(hooksRoute.POST, { session: token, body, client: proxied, headers: { origin: "http://hooks.example.com" } })).status,
    ).toBe(403);
    configure({ APP_URL: "https://hooks.example.com" });
    try {
      expect((await call(hooksRoute.POST, { session: token, body, headers: { origin: "https://hooks.example.com" } })).status).toBe(201);
      expect((await call(hooksRoute.POST, { session: token, body, headers: { origin: TEST_ORIGIN } })).status).toBe(403);
      expect((await call(hooksRoute.POST, { session: token, body, headers: { origin: "https://hooks.example.com:8443" } })).status).toBe(
        403,
      );
    } finally {
      configure({ APP_URL: undefined });
    }
  });

  it("sign-in and setup refuse a cross-site browser (login CSRF) and set no cookie", async () => {
    for (const [label, headers] of CROSS_SITE) {
      for (const [name, handler] of [
        ["sign-in", signInRoute.POST],
        ["setup", setupRoute.POST],
      ] as const) {
        const res = await call(handler, { body: ADMIN, headers });
        expect({ name, label, status: res.status, cookie: res.headers.get("set-cookie") }).toEqual({
          name,
          label,
          status: 403,
          cookie: null,
        });
      }
    }
    // Scripts send no Origin: they may still sign in.
    expect((await call(signInRoute.POST, { body: ADMIN })).status).toBe(200);
  });
});
