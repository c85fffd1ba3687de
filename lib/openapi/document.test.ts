// The OpenAPI document: every route under app/api (every exported method) is in it, it passes a
// standard OpenAPI 3.1 validator, request bodies come from the routes' zod schemas, and it is served.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import * as openApiRoute from "@/app/api/openapi.json/route";
import { call } from "@/lib/testing/http";
import { apiRouteFiles, routeHandlers } from "@/lib/testing/routes";
import { openApiDocument } from "./document";

describe("OpenAPI document", () => {
  it("has every route and method under app/api", async () => {
    const document = openApiDocument();
    const missing: string[] = [];
    let count = 0;
    for (const route of apiRouteFiles()) {
      const path = route.urlPath.replace(/\[(\w+)\]/g, "{$1}");
      for (const method of Object.keys(await routeHandlers(route))) {
        count++;
        if (!(document.paths[path] as Record<string, unknown> | undefined)?.[method.toLowerCase()]) missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(29);
  });

  it("passes a standard OpenAPI 3.1 validator", async () => {
    const result = await new Validator().validate(openApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("takes request bodies from the zod schemas and lists auth and error statuses", () => {
    const post = (
      openApiDocument().paths["/api/events"] as Record<
        string,
        {
          requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
          responses: Record<string, unknown>;
          security: unknown[];
        }
      >
    ).post!;
    expect(Object.keys(post.requestBody.content["application/json"]!.schema.properties)).toEqual(
      expect.arrayContaining(["event", "data", "context", "id"]),
    );
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["202", "401", "413", "422", "503"]));
    expect(post.security).toEqual([{ ingestKey: [] }, { adminKey: [] }]);
  });

  it("is served at /api/openapi.json without credentials", async () => {
    const res = await call(openApiRoute.GET, {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ openapi: "3.1.0" });
  });
});
