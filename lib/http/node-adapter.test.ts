// The lean Node path serves the ingestion routes' plain handlers with the same answers as Next.
import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as batchRoute from "@/app/api/events/batch/route";
import * as eventsRoute from "@/app/api/events/route";
import { errorEnvelopeSchema } from "@/lib/errors";
import { acceptedBatchSchema, acceptedEventSchema } from "@/lib/events/schemas";
import { db } from "@/lib/testing/context";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf } from "@/lib/testing/http";
import { portOf } from "@/lib/testing/ports";
import { resetDatabase } from "@/lib/testing/reset";
import { leanRouter } from "./node-adapter";

let server: http.Server;
let origin: string;
let apiKey: string;

beforeAll(async () => {
  const lean = leanRouter(
    { "/api/events": { POST: eventsRoute.POST }, "/api/events/batch": { POST: batchRoute.POST } },
    "http://localhost",
  );
  server = http.createServer((req, res) => {
    if (!lean(req, res)) res.writeHead(404).end("fell through");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${portOf(server)}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey } = await signedInAdmin());
  await createTestHook({ url: "https://a.example.com/hook", events: ["User.Created"] });
});

async function post(path: string, body: string | Blob, headers: Record<string, string> = { authorization: `Bearer ${apiKey}` }) {
  const res = await fetch(`${origin}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

describe("lean HTTP path", () => {
  it("accepts an event with 202 and stores it with its delivery", async () => {
    const res = await post("/api/events", JSON.stringify({ event: "User.Created", data: { id: "u1" }, id: "k1" }));
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.json).toEqual({ id: expect.any(String), event: "User.Created", queued: 1 });
    expect(await db.delivery.count({ where: { eventId: bodyOf(res, acceptedEventSchema).id } })).toBe(1);

    const replay = await post("/api/events", JSON.stringify({ event: "User.Created", data: { id: "u1" }, id: "k1" }));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(bodyOf(replay, acceptedEventSchema).id).toBe(bodyOf(res, acceptedEventSchema).id);
  });

  it("decodes the body as Request.text() does: UTF-8 with a leading BOM dropped", async () => {
    const text = JSON.stringify({ event: "User.Created", data: { name: "Zoë" } });
    const res = await post("/api/events", new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), text]));
    expect(res.status).toBe(202);
    const event = await db.event.findUniqueOrThrow({ where: { id: bodyOf(res, acceptedEventSchema).id } });
    expect(event.data).toEqual({ name: "Zoë" });
  });

  it("answers the error envelope: 401 without a key, 400 for bad JSON, 413 past the size cap", async () => {
    expect(bodyOf(await post("/api/events", "{}", {}), errorEnvelopeSchema).code).toBe("unauthorized");
    const bad = await post("/api/events", "{not json");
    expect([bad.status, bodyOf(bad, errorEnvelopeSchema).code]).toEqual([400, "invalid_json"]);
    const big = await post("/api/events", JSON.stringify({ event: "User.Created", data: "x".repeat(300 * 1024) }));
    expect(big.status).toBe(413);
    expect(await db.event.count()).toBe(0);
  });

  it("stops reading a chunked body (no content-length) at the size cap: 413, connection closed", async () => {
    // A stream that would go on for 64 MB: the answer must come long before it ends.
    let sent = 0;
    const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = http.request(`${origin}/api/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        req.destroy();
      });
      req.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, "x");
      const write = () => {
        while (sent < 64 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", write);
        }
        if (!req.destroyed) req.end();
      };
      req.write('{"event":"User.Created","data":"');
      write();
    });
    expect(answer).toEqual({ status: 413, connection: "close" });
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    expect(await db.event.count()).toBe(0);
  });

  it("serves the batch route and falls through to Next for anything else", async () => {
    const res = await post("/api/events/batch", JSON.stringify({ events: [{ event: "User.Created" }, { event: "User.Created" }] }));
    expect([res.status, bodyOf(res, acceptedBatchSchema).queued]).toEqual([202, 2]);
    const other = await fetch(`${origin}/api/hooks`);
    expect(await other.text()).toBe("fell through");
  });
});
