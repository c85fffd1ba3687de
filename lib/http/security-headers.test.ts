// Issue 11 items 3 and 6: security headers on every answer (pages, Next's API, the lean path),
// the envelope for malformed percent-encoding (was a bare 500 page) and unsupported methods (was
// an empty 405), and the pages' nonce-based CSP from proxy.ts.
import http from "node:http";
import { portOf } from "@/lib/testing/ports";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as eventsRoute from "@/app/api/events/route";
import { proxy } from "@/proxy";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { resetDatabase } from "@/lib/testing/reset";
import { stampClient } from "./client";
import { leanRouter } from "./node-adapter";
import { apiRouteMethods } from "./route-table";
import { guardRequest } from "./security-headers";
import { configure } from "@/lib/testing/context";

describe("the server's guard (scripts/console.ts order: stamp, guard, lean path, Next)", () => {
  let server: http.Server;
  let base: string;
  let apiKey: string;
  beforeAll(async () => {
    await resetDatabase();
    ({ apiKey } = await signedInAdmin());
    const routes = apiRouteMethods();
    const lean = leanRouter({ "/api/events": { POST: eventsRoute.POST } }, "http://localhost");
    server = http.createServer((req, res) => {
      const client = stampClient(req);
      if (guardRequest(req, res, client, routes)) return;
      if (!lean(req, res)) res.writeHead(200, { "content-type": "text/html" }).end("<p>Next stands here</p>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${portOf(server)}`;
  });
  afterAll(async () => {
    configure({ TRUSTED_PROXIES: undefined });
    await new Promise((resolve) => server.close(resolve));
  });

  const expectBaseline = (res: Response) => {
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  };

  it("the lean ingestion path: no-store, nosniff, no framing, no HSTS over plain http", async () => {
    const res = await fetch(`${base}/api/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ event: "User.Created", data: { id: "u1" } }),
    });
    expect(res.status).toBe(202);
    expectBaseline(res);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("pages get the baseline headers and no API cache rule (Next sets theirs)", async () => {
    const res = await fetch(`${base}/webhooks`);
    expectBaseline(res);
    expect(res.headers.get("cache-control")).toBeNull();
  });

  it("HSTS when a trusted proxy says the client came over https, not when a client says so", async () => {
    const forged = await fetch(`${base}/webhooks`, { headers: { "x-forwarded-proto": "https" } });
    expect(forged.headers.get("strict-transport-security")).toBeNull();
    configure({ TRUSTED_PROXIES: "127.0.0.1" });
    const proxied = await fetch(`${base}/webhooks`, { headers: { "x-forwarded-proto": "https" } });
    expect(proxied.headers.get("strict-transport-security")).toBe("max-age=31536000");
    configure({ TRUSTED_PROXIES: undefined });
  });

  it.each(["/api/hooks/%ff%fe", "/webhooks/%ff", "/api/hooks/%E0%A4%A"])(
    "malformed percent-encoding %s: 400 with the envelope",
    async (path) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: "invalid_path", message: "The request path has malformed percent-encoding." });
      expectBaseline(res);
    },
  );

  it("an unsupported method: 405 with Allow and the envelope", async () => {
    const put = await fetch(`${base}/api/hooks`, { method: "PUT", body: "{}" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(await put.json()).toMatchObject({ code: "method_not_allowed" });
    expect(put.headers.get("cache-control")).toBe("no-store");
    const onItem = await fetch(`${base}/api/hooks/abc`, { method: "PUT", body: "{}" });
    expect(onItem.status).toBe(405);
    expect(onItem.headers.get("allow")).toBe("GET, PATCH, DELETE, HEAD, OPTIONS");
    const missing = await fetch(`${base}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not_found" });
    expect(missing.headers.get("cache-control")).toBe("no-store");
    const events = await fetch(`${base}/api/events`);
    expect(events.status).toBe(405);
    expect(events.headers.get("allow")).toBe("POST, OPTIONS");
  });
});

describe("the pages' Content-Security-Policy (proxy.ts)", () => {
  const policyOf = (res: Response) => res.headers.get("content-security-policy") ?? "";

  it("a fresh nonce per request, handed to Next in the request headers; no eval outside next dev", () => {
    const first = proxy(new NextRequest("http://console.test/webhooks"));
    const second = proxy(new NextRequest("http://console.test/webhooks"));
    const nonce = policyOf(first).match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce).toBeTruthy();
    expect(policyOf(second)).not.toContain(nonce);
    // NextResponse.next({ request: { headers } }) forwards them as x-middleware-request-* headers.
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policyOf(first));
    for (const directive of ["default-src 'self'", "'strict-dynamic'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) {
      expect(policyOf(first)).toContain(directive);
    }
    expect(policyOf(first)).not.toContain("unsafe-eval");
    expect(policyOf(first)).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });
});
