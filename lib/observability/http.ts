// Per-request bookkeeping of the Node server (scripts/console.ts), for every path, Next's and the
// lean one alike: the request id (the caller's `x-request-id` or a new one, echoed in the answer and
// attached to every log entry of the request), one access-log entry and the HTTP metrics when the
// answer is sent, and GET /metrics.
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { safeEqual } from "@/lib/auth/crypto";
import { authenticate, bearerToken } from "@/lib/auth/principal";
import { appContext } from "@/lib/context";
import { logger, requestIdFrom, withRequestId } from "./log";
import { recordHttpMetrics, scrape } from "./metrics";

const accessLog = logger("http");

type Pattern = { route: string; test: RegExp };
let patterns: Pattern[] | null = null;

/** The route patterns under app/api (`/api/hooks/[id]`), most specific first: the metrics' `route` label. */
function routePatterns(root = path.resolve("app/api")): Pattern[] {
  const found: Pattern[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}/${entry.name}`);
      else if (entry.name === "route.ts") {
        const source = prefix.split("/").map((part) => (/^\[.+\]$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|\\]/g, "\\$&")));
        found.push({ route: `/api${prefix}`, test: new RegExp(`^/api${source.join("/")}/?$`) });
      }
    }
  };
  try {
    walk(root, "");
  } catch {
    return [];
  }
  // Literal segments before parameters: /api/hooks/[id]/test must not be taken for a parameter.
  return found.sort((a, b) => (a.route.match(/\[/g)?.length ?? 0) - (b.route.match(/\[/g)?.length ?? 0));
}

/** A bounded label for a path: an app/api pattern, "/metrics", "static", "page" or "other". */
export function routeOf(pathname: string): string {
  if (pathname === "/metrics") return "/metrics";
  if (pathname.startsWith("/_next/")) return "static";
  if (pathname.startsWith("/api/")) {
    patterns ??= routePatterns();
    return patterns.find((pattern) => pattern.test.test(pathname))?.route ?? "other";
  }
  return "page";
}

export function observeRequest(req: IncomingMessage, res: ServerResponse, handle: () => void) {
  const started = process.hrtime.bigint();
  const requestId = requestIdFrom(req.headers["x-request-id"], randomUUID);
  res.setHeader("x-request-id", requestId);
  res.once("finish", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // The path only: a query string may carry a token.
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    recordHttpMetrics({
      route: routeOf(pathname),
      method,
      status: res.statusCode,
      seconds,
      replayed: res.getHeader("idempotent-replayed") === "true",
    });
    const entry = { reqId: requestId, method, path: pathname, status: res.statusCode, durationMs: Math.round(seconds * 10_000) / 10 };
    // Every answer at debug (ingestion runs thousands a second); server errors at warn.
    if (res.statusCode >= 500) accessLog.warn(entry, "request failed");
    else accessLog.debug(entry, "request");
  });
  withRequestId(requestId, handle);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers }).end(JSON.stringify(body));
}

/** Whether `req` may read the metrics: METRICS_TOKEN as a bearer token, or an admin (key or session). */
async function mayScrape(req: IncomingMessage): Promise<boolean> {
  const headers = { get: (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : null) };
  const token = bearerToken(headers.get("authorization"));
  const ctx = appContext();
  const expected = ctx.config.METRICS_TOKEN;
  if (token && expected && safeEqual(token, expected)) return true;
  const principal = await authenticate(ctx, headers).catch(() => null);
  return principal !== null && (principal.kind === "session" || principal.scope === "admin");
}

/** GET /metrics in Prometheus' text format; true when `req` was that request. */
export function serveMetrics(req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.url ?? "/").split("?")[0] !== "/metrics") return false;
  void (async () => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD")
        return sendJson(res, 405, { code: "method_not_allowed", message: "Use GET." }, { allow: "GET, HEAD" });
      if (!(await mayScrape(req))) {
        return sendJson(
          res,
          401,
          { code: "unauthorized", message: "Send METRICS_TOKEN or an admin API key as a bearer token." },
          { "www-authenticate": "Bearer" },
        );
      }
      const { contentType, body } = await scrape();
      res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      logger("metrics").error({ err: error }, "scrape failed");
      if (!res.headersSent)
        sendJson(res, 503, { code: "service_unavailable", message: "Metrics could not be read (database unavailable?)." });
    }
  })();
  return true;
}
