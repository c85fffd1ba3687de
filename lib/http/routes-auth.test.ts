// Every route under app/api must refuse anonymous callers, except the few opened on purpose.
// A new route that forgets apiRoute("admin") fails here.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { call } from "@/lib/testing/http";

const API_DIR = path.resolve("app/api");
const PUBLIC_ROUTES = new Set(["POST /api/auth/sign-in", "POST /api/auth/setup", "GET /api/health"]);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return entry === "route.ts" ? [full] : [];
  });
}

type Handler = (req: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const routes = routeFiles(API_DIR).map((file) => {
  const urlPath = "/api/" + path.relative(API_DIR, path.dirname(file)).split(path.sep).join("/");
  const params = Object.fromEntries([...urlPath.matchAll(/\[(\w+)\]/g)].map((match) => [match[1], "x".repeat(21)]));
  return { file, urlPath: urlPath.replace(/\/$/, ""), params };
});

describe("route protection", () => {
  it("finds the API routes", () => {
    expect(routes.length).toBeGreaterThanOrEqual(7);
  });

  for (const route of routes) {
    it(`${route.urlPath} refuses anonymous callers`, async () => {
      const module = (await import(route.file)) as Partial<Record<(typeof METHODS)[number], Handler>>;
      const exported = METHODS.filter((method) => typeof module[method] === "function");
      expect(exported.length).toBeGreaterThan(0);
      for (const method of exported) {
        if (PUBLIC_ROUTES.has(`${method} ${route.urlPath}`)) continue;
        const res = await call(module[method]!, {
          method,
          path: route.urlPath,
          params: route.params,
          rawBody: method === "GET" ? undefined : "{}",
        });
        expect({ route: `${method} ${route.urlPath}`, status: res.status }).toEqual({
          route: `${method} ${route.urlPath}`,
          status: 401,
        });
        expect(res.json.code).toBe("unauthorized");
      }
    });
  }

  it("refuses an unknown or revoked API key", async () => {
    const { GET } = await import("@/app/api/api-keys/route");
    expect((await call(GET, { apiKey: "whc_not-a-real-key" })).status).toBe(401);
  });
});
