// Who is calling: an admin session (cookie) or an API key (Authorization: Bearer). Works on the
// standard Request so the same code serves Next route handlers and a plain Node HTTP path.
import { authenticateApiKey, type ApiKeyPrincipal } from "@/lib/api-keys/service";
import type { ServiceContext } from "@/lib/context";
import { expectedOrigin } from "@/lib/http/client";
import { forbidden } from "@/lib/errors";
import { SESSION_COOKIE, validateSession, type AdminIdentity } from "./service";

export type Principal = ({ kind: "session" } & AdminIdentity) | ApiKeyPrincipal;

export function readCookie(cookieHeader: string | null, name: string) {
  for (const part of cookieHeader?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

export function bearerToken(authorization: string | null) {
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}

export async function authenticate(ctx: ServiceContext, headers: Pick<Headers, "get">): Promise<Principal | null> {
  const bearer = bearerToken(headers.get("authorization"));
  if (bearer) return authenticateApiKey(ctx, bearer);
  const identity = await validateSession(ctx, readCookie(headers.get("cookie"), SESSION_COOKIE));
  return identity ? { kind: "session", ...identity } : null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Scheme, host and port of an Origin header; null for "null" (sandboxed or privacy-sensitive contexts) or junk. */
function originOf(origin: string) {
  try {
    return new URL(origin).origin;
  } catch {
    return null;
  }
}

/**
 * Cookie-authenticated mutations must come from our own pages (CSRF). Browsers send Origin on
 * every cross-origin request and on same-origin POSTs; Sec-Fetch-Site backs it up.
 * `requireOrigin: false` is for the public routes that set the cookie (sign-in, setup): scripts
 * without Origin may call them, but a cross-site page must not sign the browser in (login CSRF).
 */
export function assertSameOrigin(req: { method: string; url: string; headers: Pick<Headers, "get"> }, { requireOrigin = true } = {}) {
  const { headers } = req;
  if (SAFE_METHODS.has(req.method)) return;
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") {
    throw forbidden("Cross-site request refused.");
  }
  const origin = headers.get("origin");
  if (!origin) {
    if (fetchSite === "same-origin" || !requireOrigin) return;
    throw forbidden("Missing Origin header on a cookie-authenticated change.");
  }
  // Scheme, host and port, against APP_URL or what the client reached (forwarded headers only
  // from a trusted proxy): another port or plain http on the same host is another origin.
  const expected = expectedOrigin(req);
  if (!expected || originOf(origin) !== expected) throw forbidden("Cross-origin request refused.");
}
