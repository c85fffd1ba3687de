// A quick, bounded (< 60 s) local measurement of the delivery engine, on a fresh throw-away
// database (DATABASE_URL's server when set, else the embedded test server) and a local receiver:
//   1. ingestion: events/s through the emit service, the batch service and HTTP (POST /api/events
//      on the lean Node path, with an API key), nothing delivering meanwhile;
//   2. delivery: deliveries/s draining that backlog with one worker;
//   3. latency: events at a steady rate with the worker idle and listening; p50/p99 from event to
//      first attempt (both stamped by this process's clock).
// Usage: npx tsx scripts/bench-quick.ts [--events 2000] [--rate 200] [--concurrency 32]
// Everything (receiver included) shares one machine, so these are floor figures, not capacity.
// This measures the services in one process, without the production build; `npm run bench`
// measures the production server end to end.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";
import { at } from "../lib/assert";
import { createContext, installContext } from "../lib/context";
import { startTestServer } from "../lib/testing/database";
import { percentile, perSecond, saturate } from "./lib/bench-stats";

function arg(name: string, fallback: number) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const EVENTS = arg("events", 2_000);
const RATE = arg("rate", 200);
const CONCURRENCY = arg("concurrency", 32);
const LATENCY_SECONDS = 5;

async function main() {
  const deadline = setTimeout(() => {
    console.error("[bench] exceeded 60 s; aborting.");
    process.exit(1);
  }, 60_000);
  const server = await startTestServer();
  const databaseUrl = await server.createDatabase("bench");
  const ctx = installContext(createContext({ databaseUrl, env: { ...process.env, ALLOW_LOCAL_ENDPOINTS: "true" } }));
  const { db } = ctx;
  const { emit, emitBatch } = await import("../lib/events/service");
  const { startWorker } = await import("../lib/delivery/worker");
  const { createApiKey } = await import("../lib/api-keys/service");
  const { leanRouter } = await import("../lib/http/node-adapter");
  const eventsRoute = await import("../app/api/events/route");
  const { startReceiver } = await import("../lib/testing/receiver");
  const { randomId, randomString } = await import("../lib/auth/crypto");

  const receiver = await startReceiver([{ status: 200 }], { record: false });
  await db.hook.create({
    data: {
      id: randomId(21),
      name: "bench",
      url: receiver.url,
      events: ["User.Created"],
      signingKey: randomString("abcdefghijklmnopqrstuvwxyz0123456789", 32),
    },
  });
  const data = { id: "u1", name: "Bench User", primaryEmail: "bench@example.com", customData: { plan: "pro" } };
  const context = { userAgent: "bench/1", ip: "203.0.113.1", path: "/api/users", method: "POST", status: 201, params: {} };
  const rows: [string, string][] = [];
  const progress = (label: string, value: string) => {
    rows.push([label, value]);
    if (process.env.BENCH_VERBOSE) console.log(`[bench] ${label}: ${value}`);
  };

  // 1. Ingestion, with no worker running.
  await emit(ctx, { event: "User.Created", data, context }); // warm-up: connections, prepared plans
  const serviceMs = await saturate(EVENTS, CONCURRENCY, () => emit(ctx, { event: "User.Created", data, context }));
  progress("ingest, emit(ctx, ) service", `${perSecond(EVENTS, serviceMs)} events/s (${EVENTS} events, ${CONCURRENCY} in flight)`);

  const batches = Math.max(1, Math.round(EVENTS / 500));
  const batch = Array.from({ length: 500 }, () => ({ event: "User.Created", data, context }));
  const batchMs = await saturate(batches, 4, () => emitBatch(ctx, batch));
  progress("ingest, emitBatch(ctx, ) of 500", `${perSecond(batches * 500, batchMs)} events/s (${batches} batches)`);

  const { key } = await createApiKey(ctx, { name: "bench" });
  const lean = leanRouter({ "/api/events": { POST: eventsRoute.POST } }, "http://localhost");
  const api = http.createServer((req, res) => {
    if (!lean(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const pool = new Pool(`http://127.0.0.1:${(api.address() as AddressInfo).port}`, { connections: CONCURRENCY });
  const body = JSON.stringify({ event: "User.Created", data, context });
  const post = async () => {
    const res = await pool.request({
      path: "/api/events",
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    await res.body.text();
    if (res.statusCode !== 202) throw new Error(`POST /api/events answered ${res.statusCode}`);
  };
  await post();
  const httpMs = await saturate(EVENTS, CONCURRENCY, post);
  progress("ingest, HTTP POST /api/events", `${perSecond(EVENTS, httpMs)} events/s (lean Node path, API key)`);
  await pool.close();
  api.close();

  // 2. Drain the backlog with one worker.
  const backlog = await db.delivery.count({ where: { status: "pending" } });
  const drainStarted = performance.now();
  const worker = startWorker({ log: () => {}, idlePollMs: 1_000, context: ctx });
  await worker.ready;
  while ((await db.delivery.count({ where: { status: "pending" } })) > 0) await new Promise((r) => setTimeout(r, 50));
  const drainMs = performance.now() - drainStarted;
  progress(
    "deliver backlog, 1 worker",
    `${perSecond(backlog, drainMs)} deliveries/s (${backlog} deliveries, concurrency ${process.env.DELIVERY_CONCURRENCY ?? 64})`,
  );

  // 3. Latency at a steady rate with the worker idle.
  const since = new Date();
  const total = RATE * LATENCY_SECONDS;
  const paced = performance.now();
  const emits: Promise<unknown>[] = [];
  for (let n = 0; n < total; n++) {
    const due = paced + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    emits.push(emit(ctx, { event: "User.Created", data, context }));
  }
  await Promise.all(emits);
  while ((await db.delivery.count({ where: { status: "pending" } })) > 0) await new Promise((r) => setTimeout(r, 50));
  const sample = await db.delivery.findMany({ where: { createdAt: { gte: since } }, select: { createdAt: true, attemptLog: true } });
  const latencies = sample
    .map((row) => Date.parse(at(row.attemptLog as { at: string }[], 0).at) - row.createdAt.getTime())
    .sort((a, b) => a - b);
  progress(
    `event → first attempt @ ${RATE}/s`,
    `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms (${latencies.length} deliveries)`,
  );
  const failed = await db.delivery.count({ where: { status: { not: "succeeded" } } });
  progress("not succeeded", String(failed));

  await worker.stop({ graceMs: 1_000 });
  await receiver.close();
  await ctx.close();
  await server.stop();
  clearTimeout(deadline);

  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\nWebhook Console quick bench (${new Date().toISOString()}, node ${process.version})`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error("[bench] failed:", error);
  process.exit(1);
});
