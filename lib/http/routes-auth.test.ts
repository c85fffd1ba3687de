// Every route under app/api must refuse anonymous callers, except the few opened on purpose.
// A new route that forgets apiRoute("admin") fails here, and so does an answer outside the OpenAPI
// document (lib/testing/contract.ts).
import { describe, expect, it } from "vitest";
import { contractProblems } from "@/lib/testing/contract";
import { call, codeOf } from "@/lib/testing/http";
import { apiRouteFiles, routeHandlers } from "@/lib/testing/routes";

const PUBLIC_ROUTES = new Set([
  "POST /api/auth/sign-in",
  "POST /api/auth/setup",
  "GET /api/health",
  "GET /api/health/ready",
  "GET /api/openapi.json",
]);

const routes = apiRouteFiles().map((route) => ({
  ...route,
  params: Object.fromEntries(route.paramNames.map((name) => [name, "x".repeat(21)])),
}));

describe("route protection", () => {
  it("finds the API routes", () => {
    expect(routes.length).toBeGreaterThanOrEqual(7);
  });

  for (const route of routes) {
    it(`${route.urlPath} refuses anonymous callers`, async () => {
      const handlers = await routeHandlers(route);
      const exported = Object.entries(handlers);
      expect(exported.length).toBeGreaterThan(0);
      for (const [method, handler] of exported) {
        if (PUBLIC_ROUTES.has(`${method} ${route.urlPath}`)) continue;
        const res = await call(handler, {
          method,
          path: route.urlPath,
          params: route.params,
          rawBody: method === "GET" ? undefined : "{}",
        });
        expect({ route: `${method} ${route.urlPath}`, status: res.status }).toEqual({
          route: `${method} ${route.urlPath}`,
          status: 401,
        });
        expect(contractProblems(method, route.urlPath, res)).toEqual([]);
        // Logto's routes answer in Logto's code (lib/http/logto-errors.ts).
        expect(codeOf(res)).toBe(
          route.urlPath.startsWith("/api/hooks") && !/deliveries|stats|recover|retry-now/.test(route.urlPath)
            ? "auth.unauthorized"
            : "unauthorized",
        );
      }
    });
  }

  it("refuses an unknown or revoked API key", async () => {
    const { GET } = await import("@/app/api/api-keys/route");
    expect((await call(GET, { apiKey: "whc_not-a-real-key" })).status).toBe(401);
  });
});
