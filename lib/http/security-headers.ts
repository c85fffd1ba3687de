// Security headers (issue 11). The run command's server sets the static ones on every answer
// (pages, Next's API routes, the lean ingestion path, static files, Next's own 404s) and the edge
// answers Next would get wrong: 400 for malformed percent-encoding, 405 with Allow for a method a
// route does not export. The pages' Content-Security-Policy carries a per-request nonce and is
// set by proxy.ts, where Next reads it to put the nonce on its own scripts.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ServiceError } from "@/lib/errors";
import type { ClientInfo } from "./client";
import { errorAnswer } from "./errors";
import type { RouteMethods } from "./route-table";

/** HSTS for a year, only on answers that went out over https (a trusted proxy's word counts). */
export const HSTS = "max-age=31536000";

/** Headers every answer carries; `/api` answers are never cached and may render nothing. */
export function securityHeaders(path: string, client: Pick<ClientInfo, "proto">): Record<string, string> {
  const headers: Record<string, string> = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
  if (client.proto === "https") headers["strict-transport-security"] = HSTS;
  if (isApiPath(path)) {
    // JSON answers carry signing keys: no shared or browser cache keeps them.
    headers["cache-control"] = "no-store";
    headers["content-security-policy"] = "default-src 'none'; frame-ancestors 'none'";
  }
  return headers;
}

const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");

/**
 * The page policy: scripts only with this request's nonce (and what they load, 'strict-dynamic'),
 * no eval outside `next dev` (React's dev tools need it), no framing, no plugins, no <base>.
 * Inline style attributes stay allowed: React and the charts set them, and they cannot run code.
 */
export function pageContentSecurityPolicy(nonce: string, { dev = false, https = false } = {}) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

function answer(res: ServerResponse, error: ServiceError, headers: Record<string, string> = {}) {
  const { status, body } = errorAnswer(error);
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

function decodable(path: string) {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sets the security headers on `res` and answers what must not reach Next's router; true when it
 * answered. Next turns a malformed %-escape into a bare 500 page and an unexported method into an
 * empty 405: both get the error envelope here.
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse, client: ClientInfo, routes: RouteMethods[]): boolean {
  const [path = "/"] = (req.url ?? "/").split("?");
  for (const [name, value] of Object.entries(securityHeaders(path, client))) res.setHeader(name, value);
  if (!decodable(path)) {
    answer(res, new ServiceError("invalid_path", "The request path has malformed percent-encoding."), { "cache-control": "no-store" });
    return true;
  }
  if (!isApiPath(path)) return false;
  const route = routes.find((candidate) => candidate.pattern.test(path));
  if (!route) {
    answer(res, new ServiceError("not_found", "No API route at this path."));
    return true;
  }
  const method = req.method ?? "GET";
  if (!route.allow.includes(method)) {
    const message = `${method} is not supported here. Allowed: ${route.allow.join(", ")}.`;
    answer(res, new ServiceError("method_not_allowed", message), { allow: route.allow.join(", ") });
    return true;
  }
  return false;
}
