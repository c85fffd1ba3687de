// Issue 11: the client address comes from the socket; X-Forwarded-* only from TRUSTED_PROXIES.
import http from "node:http";
import { portOf } from "@/lib/testing/ports";
import { afterEach, describe, expect, it } from "vitest";
import { clientOf, resolveClient, stampClient, stampHeaders, type ClientInfo } from "./client";
import { configure } from "@/lib/testing/context";

const headersOf = (values: Record<string, string>) => new Headers(values);

describe("resolveClient", () => {
  it("ignores X-Forwarded-* from a client that is not a trusted proxy", () => {
    const spoofed = headersOf({
      host: "console.test",
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "evil.example",
    });
    expect(resolveClient("203.0.113.7", spoofed, [])).toEqual({
      address: "203.0.113.7",
      proto: "http",
      host: "console.test",
      forwarded: true,
    });
    expect(resolveClient("203.0.113.7", spoofed, ["127.0.0.1"])).toEqual({
      address: "203.0.113.7",
      proto: "http",
      host: "console.test",
      forwarded: true,
    });
  });

  it("believes a trusted proxy, reading X-Forwarded-For right to left past trusted hops", () => {
    const headers = headersOf({
      host: "127.0.0.1:3000",
      // The client forged the first hop; the proxies appended what they saw.
      "x-forwarded-for": "1.2.3.4, 198.51.100.20, 10.0.0.5",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "hooks.example.com",
    });
    expect(resolveClient("::ffff:127.0.0.1", headers, ["127.0.0.1", "10.0.0.0/8"])).toEqual({
      address: "198.51.100.20",
      proto: "https",
      host: "hooks.example.com",
      forwarded: true,
    });
  });

  it("a trusted proxy without X-Forwarded-For is the client itself", () => {
    expect(resolveClient("::1", headersOf({ host: "x" }), ["::1"]).address).toBe("::1");
  });

  it("says whether the raw request was forwarded, trusted proxy or not (first-run setup reads it)", () => {
    expect(resolveClient("127.0.0.1", headersOf({ host: "x" }), []).forwarded).toBe(false);
    for (const name of ["forwarded", "x-forwarded-for", "x-real-ip"]) {
      expect(resolveClient("127.0.0.1", headersOf({ host: "x", [name]: "203.0.113.9" }), []).forwarded, name).toBe(true);
    }
  });
});

describe("the stamp", () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    configure({ TRUSTED_PROXIES: undefined });
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function seenBy(headers: Record<string, string>): Promise<ClientInfo> {
    let seen: ClientInfo | undefined;
    server = http.createServer((req, res) => {
      stampClient(req);
      seen = clientOf({
        url: `http://${req.headers.host}${req.url}`,
        headers: { get: (name) => (req.headers[name] as string | undefined) ?? null },
      });
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = portOf(server);
    await fetch(`http://127.0.0.1:${port}/api/auth/sign-in`, { method: "POST", headers });
    return seen!;
  }

  it("a real socket: the client's forged X-Forwarded-For and stamp headers are replaced", async () => {
    const forged = stampHeaders({ address: "10.9.9.9", proto: "https", host: "evil.example" });
    const seen = await seenBy({ "x-forwarded-for": "203.0.113.99", ...forged, "x-webhook-console-stamp": "guess" });
    expect(seen.address).toBe("127.0.0.1");
    expect(seen.proto).toBe("http");
    expect(seen.forwarded).toBe(true); // the stamp carries it past Next's own X-Forwarded-*
  });

  it("a request without forwarding headers is stamped as not forwarded", async () => {
    expect((await seenBy({})).forwarded).toBe(false);
  });

  it("with TRUSTED_PROXIES=127.0.0.1 the proxy's X-Forwarded-For counts", async () => {
    configure({ TRUSTED_PROXIES: "127.0.0.1, ::1" });
    expect((await seenBy({ "x-forwarded-for": "203.0.113.99" })).address).toBe("203.0.113.99");
  });

  it("without our server's stamp, a request's client is unknown, whatever its headers say", () => {
    const req = {
      url: "http://console.test/api",
      headers: headersOf({ "x-webhook-console-client-address": "127.0.0.1", "x-webhook-console-stamp": "guess" }),
    };
    expect(clientOf(req).address).toBe("unknown");
  });
});
