// /metrics after real traffic: events posted over HTTP through the same server stack as
// scripts/console.ts (request bookkeeping, /metrics, the lean ingestion path), delivered by the
// worker to a real receiver (successes, a retry, a failure), then scraped: the numbers must match.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as eventsBatchRoute from "@/app/api/events/batch/route";
import * as eventsRoute from "@/app/api/events/route";
import { createApiKey } from "@/lib/api-keys/service";
import { ctx, db, configure } from "@/lib/testing/context";
import { startWorker } from "@/lib/delivery/worker";
import { leanRouter } from "@/lib/http/node-adapter";
import { createTestHook } from "@/lib/testing/hooks";
import { startReceiver, type Receiver } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { waitFor } from "@/lib/testing/wait";
import { observeRequest, routeOf, serveMetrics } from "./http";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
let server: http.Server;
let origin = "";
let receiver: Receiver;
let adminKey = "";
let ingestKey = "";

beforeAll(async () => {
  configure({ METRICS_TOKEN: METRICS_TOKEN });
  await resetDatabase();
  adminKey = (await createApiKey(ctx, { name: "metrics admin", scope: "admin" })).key;
  ingestKey = (await createApiKey(ctx, { name: "metrics ingest", scope: "ingest" })).key;
  const lean = leanRouter(
    { "/api/events": { POST: eventsRoute.POST }, "/api/events/batch": { POST: eventsBatchRoute.POST } },
    "http://localhost",
  );
  server = http.createServer((req, res) =>
    observeRequest(req, res, () => {
      if (!serveMetrics(req, res) && !lean(req, res)) res.writeHead(404).end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  // By event: "ok" hooks answer 200; the "flaky" one 500 once then 200; the "down" one always 500.
  receiver = await startReceiver((request) => {
    const url = request.path;
    if (url.includes("down")) return { status: 500 };
    if (url.includes("flaky")) return { status: flakyCalls++ === 0 ? 500 : 200 };
    return { status: 200 };
  });
});
let flakyCalls = 0;

afterAll(async () => {
  configure({ METRICS_TOKEN: undefined });
  await receiver.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function scrape(token = METRICS_TOKEN) {
  const res = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

/** The value of one sample, e.g. value(text, 'webhook_deliveries_total{result="succeeded"}'). */
function value(text: string, sample: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

const post = (route: string, body: unknown, key = ingestKey) =>
  fetch(`${origin}${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": "metrics-test-1" },
    body: JSON.stringify(body),
  });

describe("/metrics", () => {
  it("is refused without METRICS_TOKEN or an admin key, and to an ingest key", async () => {
    expect((await fetch(`${origin}/metrics`)).status).toBe(401);
    expect((await scrape("wrong-token")).status).toBe(401);
    expect((await scrape(ingestKey)).status).toBe(401);
    expect((await scrape(adminKey)).status).toBe(200);
  });

  it("counts ingestion, deliveries, attempts and latencies after traffic", async () => {
    const before = (await scrape()).text;
    await createTestHook({ url: `${receiver.url}/ok`, events: ["User.Created"] });
    await createTestHook({ url: `${receiver.url}/flaky`, events: ["User.Deleted"] });
    await createTestHook({ url: `${receiver.url}/down`, events: ["Role.Created"] });
    for (let n = 0; n < 5; n++) expect((await post("/api/events", { event: "User.Created", data: { n } })).status).toBe(202);
    const echoed = await post("/api/events/batch", {
      events: [
        { event: "User.Deleted", data: {} },
        { event: "Role.Created", data: {} },
      ],
    });
    expect(echoed.status).toBe(202);
    expect(echoed.headers.get("x-request-id")).toBe("metrics-test-1");
    expect((await post("/api/events", { event: "Not.AnEvent" })).status).toBe(422);
    expect((await post("/api/events", { event: "User.Created", data: {} }, "whc_wrong")).status).toBe(401);

    const queued = (await scrape()).text;
    expect(value(queued, 'webhook_queue_depth{state="due"}')).toBe(7);
    expect(value(queued, "webhook_queue_oldest_due_age_seconds")).toBeGreaterThan(0);

    const worker = startWorker({
      schedule: { delaysMs: [20, 20, 20], jitter: 0, retryAfterCapMs: 100 },
      idlePollMs: 50,
      retention: false,
      rollups: false,
    });
    try {
      await waitFor(async () => (await db.delivery.count({ where: { status: "pending" } })) === 0, 20_000);
    } finally {
      await worker.stop({ graceMs: 0 });
    }

    const after = (await scrape()).text;
    const delta = (sample: string) => value(after, sample) - value(before, sample);
    expect(delta('webhook_ingest_requests_total{route="/api/events",result="accepted"}')).toBe(5);
    expect(delta('webhook_ingest_requests_total{route="/api/events/batch",result="accepted"}')).toBe(1);
    expect(delta('webhook_ingest_requests_total{route="/api/events",result="rejected"}')).toBe(2);
    // 5 + 1 succeeded (the flaky one on its second attempt), 1 failed after 4 attempts.
    expect(delta('webhook_deliveries_total{result="succeeded"}')).toBe(6);
    expect(delta('webhook_deliveries_total{result="failed"}')).toBe(1);
    expect(delta('webhook_delivery_attempts_total{outcome="succeeded"}')).toBe(6);
    expect(delta('webhook_delivery_attempts_total{outcome="retry"}')).toBe(4);
    expect(delta('webhook_delivery_attempts_total{outcome="failed"}')).toBe(1);
    expect(delta("webhook_delivery_attempt_duration_seconds_count")).toBe(11);
    expect(delta("webhook_event_to_first_attempt_seconds_count")).toBe(7);
    expect(delta('webhook_http_request_duration_seconds_count{route="/api/events",method="POST",status="2xx"}')).toBe(5);
    expect(delta('webhook_http_request_duration_seconds_count{route="/api/events",method="POST",status="4xx"}')).toBe(2);
    expect(value(after, 'webhook_queue_depth{state="due"}')).toBe(0);
    expect(value(after, 'webhook_endpoints{state="enabled"}')).toBe(3);
    expect(value(after, 'webhook_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    // No label carries a hook id or URL.
    expect(after).not.toMatch(/hookId|127\.0\.0\.1/);
  }, 60_000);

  it("shows an open circuit, its held deliveries, the oldest pending age and the claim latency", async () => {
    configure({ DELIVERY_BREAKER_THRESHOLD: "5", DELIVERY_BREAKER_COOLDOWN_MS: "60000" });
    try {
      // A clean queue, the keys kept.
      await db.$executeRawUnsafe(`TRUNCATE "Delivery", "Event", "Hook" CASCADE`);
      const before = (await scrape()).text;
      const down = await createTestHook({ url: `${receiver.url}/down`, events: ["Role.Created"] });
      await createTestHook({ url: `${receiver.url}/ok`, events: ["User.Created"] });
      const emitted = await post("/api/events/batch", {
        events: Array.from({ length: 8 }, (_, n) => ({ event: "Role.Created", data: { n } })),
      });
      expect(emitted.status).toBe(202);
      const idle = (await scrape()).text;
      expect(value(idle, 'webhook_endpoint_circuits{state="healthy"}')).toBe(2);
      expect(value(idle, 'webhook_queue_depth{state="due"}')).toBe(8);
      expect(value(idle, 'webhook_queue_depth{state="held"}')).toBe(0);

      // 8 failed attempts at once open the circuit (threshold 5); the next probe is a minute away.
      const worker = startWorker({
        schedule: { delaysMs: [20, 20, 20], jitter: 0, retryAfterCapMs: 100 },
        idlePollMs: 50,
        retention: false,
        rollups: false,
      });
      try {
        await waitFor(async () => (await db.hookHealth.findUnique({ where: { hookId: down.id } }))?.openedAt, 20_000);
        await waitFor(async () => (await db.deliveryQueue.count({ where: { hookId: down.id, leaseOwner: { not: null } } })) === 0, 20_000);
      } finally {
        await worker.stop({ graceMs: 0 });
      }
      const pending = await db.delivery.count({ where: { hookId: down.id, status: "pending" } });
      expect(pending).toBeGreaterThan(0);

      const open = (await scrape()).text;
      expect(value(open, 'webhook_endpoint_circuits{state="circuit_open"}')).toBe(1);
      expect(value(open, 'webhook_endpoint_circuits{state="healthy"}')).toBe(1);
      expect(value(open, 'webhook_endpoint_circuits{state="failing"}')).toBe(0);
      expect(value(open, 'webhook_queue_depth{state="held"}')).toBe(pending);
      // Held rows are not due work: the "workers fall behind" gauge stays at 0, the pending age does not.
      expect(value(open, 'webhook_queue_depth{state="due"}')).toBe(0);
      expect(value(open, 'webhook_queue_depth{state="scheduled"}')).toBe(0);
      expect(value(open, "webhook_queue_oldest_due_age_seconds")).toBe(0);
      expect(value(open, "webhook_queue_oldest_pending_age_seconds")).toBeGreaterThan(0);
      const delta = (sample: string) => value(open, sample) - value(before, sample);
      expect(delta("webhook_delivery_claim_duration_seconds_count")).toBeGreaterThan(0);
      expect(delta("webhook_delivery_claimed_total")).toBeGreaterThanOrEqual(8);
      expect(open).not.toMatch(/hookId|127\.0\.0\.1/);
    } finally {
      configure({ DELIVERY_BREAKER_THRESHOLD: undefined, DELIVERY_BREAKER_COOLDOWN_MS: undefined });
    }
  }, 60_000);

  it("labels routes by their app/api pattern, never by the raw path", () => {
    expect(routeOf("/api/hooks/abc123/recent-logs")).toBe("/api/hooks/[id]/recent-logs");
    expect(routeOf("/api/hooks/abc123")).toBe("/api/hooks/[id]");
    expect(routeOf("/api/hooks")).toBe("/api/hooks");
    expect(routeOf("/api/nope/x")).toBe("other");
    expect(routeOf("/webhooks/abc")).toBe("page");
    expect(routeOf("/_next/static/chunk.js")).toBe("static");
  });
});
