// `npm run bench [-- --quick] [--only a,b,c,d,e,f,isolation] [--profile] [--rows N] [--seed-days D | --dense] [--raw-stats] [--workers N]`
// `npm run bench -- --report` rewrites the summary from bench/results.json (e.g. after editing
// bench/NOTES.md, the analysis appended to it).
//
// Measures the production build on this machine, on fresh databases (an embedded PostgreSQL in
// .data/bench, or DATABASE_URL's server), against a local receiver:
//   (a) raw limit: undici POST + HMAC signing to the receiver, no database (the delivery path's
//       sender, in this process);
//   (b) ingestion over HTTP: one event per request, and batches of 500 (worker off);
//   (c) sustained durable deliveries/s: the in-process worker draining a backlog (counted in the
//       database, i.e. recorded as succeeded); then again with --workers `npm run worker`
//       processes added (1 by default, 0 with --quick);
//   (d) event → first attempt p50/p95/p99 at fixed open-loop rates (100, 500, 1,000 events/s),
//       from the event's createdAt to the first attempt's start (both stamped by the server);
//   (e) console API p95 with 1,000,000 delivery rows (scripts/seed-deliveries.ts), one request at
//       a time, as a console user sees them, after one stats rollup (scripts/rollup-deliveries.ts,
//       what every worker runs each minute); --dense puts every row inside the 24 h window
//       (= --seed-days 1), --raw-stats first measures the stats routes on raw rows alone (before
//       any rollup, i.e. as before rollups existed);
//   (i) `--only isolation` (not in the default set): the healthy webhook's event → first attempt at
//       40 events/s for 20 s, alone, then with a black-hole and a 5 s endpoint on the same events;
//   (f) the server's RSS and heap (after a full GC) over a soak at 300 events/s.
// Processes: the server (scripts/console.ts with PORT, DATABASE_URL, API_KEY,
// ALLOW_LOCAL_ENDPOINTS=true) and the receiver each run as a child of this process; this process
// only generates load. All of them and PostgreSQL share the machine's cores: the table states how
// much CPU each used during each throughput phase. Results: bench/results.json (full detail) and
// bench/RESULTS.md (the summary). --profile also writes V8 CPU profiles of the server
// (.data/bench/profiles/*.cpuprofile). Server and receiver output: .data/bench/logs/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Pool } from "undici";
import { at } from "../lib/assert";
import { randomToken } from "../lib/auth/crypto";
import { buildRequestHeaders } from "../lib/delivery/headers";
import { createSender } from "../lib/delivery/http";
import { signatureHeaders } from "../lib/delivery/signing";
import { buildPayload } from "../lib/events/payload";
import { startTestServer } from "../lib/testing/database";
import { buildIfStale, repoRoot } from "./lib/build";
import type { MemorySample } from "./lib/bench-probe";
import {
  benchDataDir,
  cpuMeter,
  loadAverage,
  postgresPids,
  runTs,
  startConsoleServer,
  startReceiverProcess,
  startWorkerProcess,
  type CpuShares,
  type ServerProcess,
} from "./lib/bench-processes";
import { closedLoop, distribution, openLoop, perSecond, sleep, type LoadResult } from "./lib/bench-stats";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    rows: { type: "string" },
    "seed-days": { type: "string", default: "14" },
    dense: { type: "boolean", default: false },
    "raw-stats": { type: "boolean", default: false },
    workers: { type: "string" },
    report: { type: "boolean", default: false },
  },
});
const quick = flags.quick ?? false;
const sections = new Set((flags.only ?? "a,b,c,d,e,f").split(",").map((s) => s.trim()));

const PLAN = {
  rawSeconds: quick ? 5 : 15,
  ingestSeconds: quick ? 5 : 20,
  ingestConcurrency: 64,
  batchSize: 500,
  batchConcurrency: 4,
  drainSeconds: quick ? 20 : 60,
  /** (c) again with this many `npm run worker` processes next to the server (0: skip). */
  extraWorkers: Number(flags.workers ?? (quick ? 0 : 1)),
  rates: [100, 500, 1_000],
  rateSeconds: quick ? 6 : 30,
  soakRate: 300,
  soakSeconds: quick ? 60 : 600,
  memoryEverySeconds: quick ? 5 : 15,
  consoleRows: Number(flags.rows ?? (quick ? 200_000 : 1_000_000)),
  consoleSeedDays: flags.dense ? 1 : Number(flags["seed-days"]),
  consoleRawStats: flags["raw-stats"] ?? false,
  consoleRequests: quick ? 40 : 200,
  /** As wide as (c) sends to its one webhook: the per-webhook cap (DELIVERY_HOOK_CONCURRENCY, 64). */
  deliveryConcurrency: Number(process.env.DELIVERY_HOOK_CONCURRENCY ?? 64),
};

const TARGETS = {
  deliveries: 5_000,
  latencyP99At500: 100,
  ingestSingle: 3_000,
  ingestBatched: 30_000,
  consoleP95: 50,
};

const log = (line: string) => console.log(`[bench] ${line}`);
const EVENT = {
  event: "User.Created",
  data: { id: "u1", name: "Bench User", primaryEmail: "bench@example.com", customData: { plan: "pro" } },
  context: { userAgent: "bench/1", ip: "203.0.113.1", path: "/api/users", method: "POST", status: 201, params: {} },
};
const SINGLE_BODY = JSON.stringify(EVENT);
const BATCH_BODY = JSON.stringify({ events: Array.from({ length: PLAN.batchSize }, () => EVENT) });

type Row = { section: string; metric: string; value: string; target: string; met: boolean | null; ratio: string };
type Results = {
  command: string;
  startedAt: string;
  finishedAt?: string;
  mode: "quick" | "full";
  machine: { cpus: number; model: string; memoryGb: number; node: string; loadBefore: number[]; loadAfter?: number[] };
  plan: typeof PLAN;
  sections: Record<string, unknown>;
  rows: Row[];
};

const results: Results = {
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
  startedAt: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "?",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadBefore: loadAverage(),
  },
  plan: PLAN,
  sections: {},
  rows: [],
};

const fmt = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
/** Each group's share of a core; with `rate`, the server's and PostgreSQL's CPU time per operation too. */
const PRODUCT_GROUPS = new Set(["server", "workers", "postgres", "pg background", "receiver"]);
/**
 * Each group's share of a core; with `rate`, the CPU time per operation of the server and
 * PostgreSQL, and the rate at which the system under test (everything but the load generator)
 * would need every core of this machine: the bound when CPU is what runs out.
 */
const cpuText = (shares: CpuShares, rate?: number, { benchSends = false } = {}) => {
  const perOp = (share: number) => (rate ? ` (${((share / rate) * 1e6).toFixed(0)} µs/op)` : "");
  const counted = (name: string) => PRODUCT_GROUPS.has(name) || (benchSends && name === "bench");
  const groups = Object.entries(shares)
    .filter(([name, share]) => name !== "machine" && (share > 0 || name === "other"))
    .map(
      ([name, share]) =>
        `${name === "bench" && benchSends ? "sender (bench)" : name} ${share.toFixed(2)}${name === "server" || name === "postgres" ? perOp(share) : ""}`,
    )
    .join(", ");
  const product = Object.entries(shares).reduce((sum, [name, share]) => sum + (counted(name) ? share : 0), 0);
  if (!rate || product === 0) return groups;
  const ceiling = (results.machine.cpus / product) * rate;
  return `${groups}; ${((product / rate) * 1e6).toFixed(0)} µs CPU/op → all ${results.machine.cpus} cores ≈ ${fmt(ceiling)}/s`;
};
let rawRate = Number.NaN;
const ratio = (rate: number) => (Number.isFinite(rawRate) ? (rate / rawRate).toFixed(2) : "-");

function addRow(row: Omit<Row, "ratio"> & { rate?: number }) {
  const { rate, ...rest } = row;
  results.rows.push({ ...rest, ratio: rate === undefined ? "" : ratio(rate) });
  log(`${row.section} ${row.metric}: ${row.value}${row.target ? ` (target ${row.target})` : ""}`);
}

/** Bearer-authenticated JSON calls to the console's API. */
function apiClient(origin: string, connections: number) {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  async function call(method: "GET" | "POST", pathname: string, key: string, body?: string, expect = [200, 201, 202]) {
    const res = await pool.request({
      path: pathname,
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      body,
    });
    const text = await res.body.text();
    if (!expect.includes(res.statusCode)) throw new Error(`${method} ${pathname} answered ${res.statusCode}: ${text.slice(0, 200)}`);
    return text;
  }
  return { call, close: () => pool.close() };
}

type Context = {
  adminKey: string;
  databaseUrl: string;
  sql: pg.Pool;
  receiverUrl: string;
  cpu: ReturnType<typeof cpuMeter>;
  profileDir?: string;
};

/** The server (and extra workers) running now, whose CPU the meter counts. */
const running: { server: ServerProcess | null; workers: number[] } = { server: null, workers: [] };

async function startServer(context: Context, name: string, worker: boolean, databaseUrl = context.databaseUrl): Promise<ServerProcess> {
  // The profiler sees the main thread only: profiled runs keep the worker on it.
  const env = context.profileDir ? { DELIVERY_THREADS: "0" } : {};
  log(
    `starting the console server (${name}, worker ${worker ? "on" : "off"}${context.profileDir ? ", on the main thread to profile it" : ""})…`,
  );
  const server = await startConsoleServer({ name, databaseUrl, apiKey: context.adminKey, worker, env });
  running.server = server;
  return {
    ...server,
    async stop() {
      await server.stop();
      if (running.server === server) running.server = null;
    },
  };
}

/**
 * One measured phase: the CPU each process group used while `work` ran and, with --profile, a CPU
 * profile of the server over the same span (.data/bench/profiles/<name>.cpuprofile).
 */
async function phase<T>(context: Context, name: string, work: () => Promise<T>): Promise<{ value: T; cpu: CpuShares }> {
  let cpu: CpuShares | undefined;
  const measured = async () => {
    context.cpu.start();
    try {
      return await work();
    } finally {
      cpu = context.cpu.stop();
    }
  };
  const server = running.server;
  const value =
    server && context.profileDir ? await server.profile(path.join(context.profileDir, `${name}.cpuprofile`), measured) : await measured();
  return { value, cpu: cpu as CpuShares };
}

// ---- (a) ---------------------------------------------------------------------------------------

async function measureRaw(context: Context) {
  // What the worker does per attempt minus the database: sign the stored bytes, POST, read the answer.
  const sender = createSender({ allowLocal: true });
  const keys = { signingKey: randomToken(24) };
  const body = buildPayload("benchhook000000000000", {
    event: EVENT.event,
    createdAt: new Date(),
    context: EVENT.context,
    data: EVENT.data,
  });
  let n = 0;
  const attempt = async () => {
    const headers = buildRequestHeaders([], signatureHeaders({ keys, messageId: `raw-${n++}`, body }));
    const outcome = await sender.send({ url: context.receiverUrl, headers, body });
    if (outcome.status !== 200) throw new Error(outcome.error ?? `HTTP ${outcome.status}`);
  };
  await closedLoop(1_000, PLAN.deliveryConcurrency, attempt); // warm-up: connections, JIT
  const { value: load, cpu } = await phase(context, "a-raw", () => closedLoop(PLAN.rawSeconds * 1000, PLAN.deliveryConcurrency, attempt));
  await sender.close();
  rawRate = perSecond(load.calls, load.elapsedMs);
  results.sections.raw = { rate: rawRate, ...summary(load), cpu };
  addRow({
    section: "(a)",
    metric: `raw limit: undici POST + HMAC, no database (${PLAN.deliveryConcurrency} in flight)`,
    value: `${fmt(rawRate)} req/s`,
    target: "",
    met: null,
    rate: rawRate,
  });
  // Here this process is the sender: its CPU is the worker's sending cost.
  addRow({ section: "", metric: "  CPU (cores)", value: cpuText(cpu, rawRate, { benchSends: true }), target: "", met: null });
}

const summary = (load: LoadResult) => ({
  calls: load.calls,
  errors: load.errors,
  firstError: load.firstError,
  elapsedMs: Math.round(load.elapsedMs),
  latencyMs: distribution(load.latencies),
});

// ---- (b) ---------------------------------------------------------------------------------------

async function measureIngestion(context: Context, ingestKey: string) {
  const server = await startServer(context, "ingest", false);
  const api = apiClient(server.origin, PLAN.ingestConcurrency);
  try {
    const single = () => api.call("POST", "/api/events", ingestKey, SINGLE_BODY, [202]);
    const batch = () => api.call("POST", "/api/events/batch", ingestKey, BATCH_BODY, [202]);
    await closedLoop(2_000, PLAN.ingestConcurrency, single);
    const { value: singles, cpu: singleCpu } = await phase(context, "b-single", () =>
      closedLoop(PLAN.ingestSeconds * 1000, PLAN.ingestConcurrency, single),
    );
    await closedLoop(1_000, PLAN.batchConcurrency, batch);
    const { value: batches, cpu: batchCpu } = await phase(context, "b-batched", () =>
      closedLoop(PLAN.ingestSeconds * 1000, PLAN.batchConcurrency, batch),
    );
    const singleRate = perSecond(singles.calls, singles.elapsedMs);
    const batchRate = perSecond(batches.calls * PLAN.batchSize, batches.elapsedMs);
    results.sections.ingest = {
      single: { rate: singleRate, concurrency: PLAN.ingestConcurrency, ...summary(singles), cpu: singleCpu },
      batched: { rate: batchRate, batchSize: PLAN.batchSize, concurrency: PLAN.batchConcurrency, ...summary(batches), cpu: batchCpu },
    };
    addRow({
      section: "(b)",
      metric: `ingest, 1 event per request (${PLAN.ingestConcurrency} in flight; p99 ${ms(distribution(singles.latencies).p99)})`,
      value: `${fmt(singleRate)} events/s`,
      target: `≥ ${fmt(TARGETS.ingestSingle)}`,
      met: singleRate >= TARGETS.ingestSingle && singles.errors === 0,
      rate: singleRate,
    });
    addRow({ section: "", metric: "  CPU (cores)", value: cpuText(singleCpu, singleRate), target: "", met: null });
    addRow({
      section: "(b)",
      metric: `ingest, batches of ${PLAN.batchSize} (${PLAN.batchConcurrency} in flight; p99 ${ms(distribution(batches.latencies).p99)})`,
      value: `${fmt(batchRate)} events/s`,
      target: `≥ ${fmt(TARGETS.ingestBatched)}`,
      met: batchRate >= TARGETS.ingestBatched && batches.errors === 0,
      rate: batchRate,
    });
    addRow({ section: "", metric: "  CPU (cores)", value: cpuText(batchCpu, batchRate), target: "", met: null });
    if (singles.errors + batches.errors > 0) log(`ingestion errors: ${singles.firstError ?? batches.firstError}`);
  } finally {
    await api.close();
    await server.stop();
  }
}

// ---- (c) ---------------------------------------------------------------------------------------

async function pendingCount(sql: pg.Pool) {
  // Pending deliveries are their queue entries: the small table, not a scan of the log.
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "DeliveryQueue"`);
  return at(rows, 0).n;
}

/** Tops the pending backlog up to `wanted` rows by copying a pending row (fresh ids, no event). */
async function topUpBacklog(sql: pg.Pool, wanted: number) {
  let pending = await pendingCount(sql);
  const fromIngestion = pending;
  if (pending === 0) throw new Error("No pending delivery to copy: the setup's event should have left one.");
  while (pending < wanted) {
    const add = Math.min(wanted - pending, 100_000);
    const { rowCount } = await sql.query(
      `INSERT INTO "Delivery" (id, "hookId", event, "requestBody", "createdAt", "nextAttemptAt")
       SELECT gen_random_uuid(), d."hookId", d.event, d."requestBody", now(), now()
         FROM (SELECT "hookId", event, "requestBody" FROM "Delivery" WHERE status = 'pending' LIMIT 1) d,
              generate_series(1, $1::int)`,
      [add],
    );
    pending += rowCount ?? 0;
  }
  // The queue table too: its rows came with the copied backlog (trigger), and a claim planned on a
  // never-analysed, never-vacuumed queue (no visibility map) is not what a running system sees.
  await sql.query(`VACUUM ANALYZE "Delivery", "DeliveryQueue"`);
  return { fromIngestion, copied: Math.max(0, pending - fromIngestion), total: pending };
}

/** Deliveries/s over one window of (c), from the pending count sampled every few seconds. */
async function drainWindow(context: Context, name: string) {
  const samples: { at: number; pending: number }[] = [];
  const { cpu } = await phase(context, name, async () => {
    const started = performance.now();
    samples.push({ at: 0, pending: await pendingCount(context.sql) });
    while (performance.now() - started < PLAN.drainSeconds * 1000) {
      await sleep(Math.min(5_000, PLAN.drainSeconds * 1000 - (performance.now() - started)));
      const pending = await pendingCount(context.sql);
      samples.push({ at: performance.now() - started, pending });
      if (pending === 0) break;
    }
  });
  const first = at(samples, 0);
  const last = samples.at(-1) as { at: number; pending: number };
  const delivered = first.pending - last.pending;
  return { rate: perSecond(delivered, last.at), delivered, seconds: last.at / 1000, ranDry: last.pending === 0, samples, cpu };
}

async function measureDeliveries(context: Context) {
  await sleep(2_000); // the worker starts with the server: let it reach speed first
  const single = await drainWindow(context, "c-deliveries");
  let withWorkers: Awaited<ReturnType<typeof drainWindow>> | null = null;
  if (PLAN.extraWorkers > 0) {
    const workers = Array.from({ length: PLAN.extraWorkers }, (_, index) => startWorkerProcess(`worker-${index + 1}`, context.databaseUrl));
    running.workers = workers.map((worker) => worker.pid);
    await sleep(3_000);
    withWorkers = await drainWindow(context, "c-deliveries-workers");
    await Promise.all(workers.map((worker) => worker.stop()));
    running.workers = [];
  }
  const { rows } = await context.sql.query<{ failed: number }>(`SELECT count(*)::int AS failed FROM "Delivery" WHERE status = 'failed'`);
  results.sections.deliveries = {
    ...single,
    failed: at(rows, 0).failed,
    withWorkers: withWorkers && { workers: PLAN.extraWorkers, ...withWorkers },
  };
  for (const [window, label] of [
    [single, "1 server + in-process worker"],
    [withWorkers, `the same + ${PLAN.extraWorkers} \`npm run worker\` process${PLAN.extraWorkers > 1 ? "es" : ""}`],
  ] as const) {
    if (!window) continue;
    addRow({
      section: "(c)",
      metric: `durable deliveries, ${label}, ${Math.round(window.seconds)} s${window.ranDry ? " (backlog ran out)" : ""}`,
      value: `${fmt(window.rate)} deliveries/s`,
      target: `≥ ${fmt(TARGETS.deliveries)}`,
      met: window.rate >= TARGETS.deliveries && at(rows, 0).failed === 0,
      rate: window.rate,
    });
    addRow({ section: "", metric: "  CPU (cores)", value: cpuText(window.cpu, window.rate), target: "", met: null });
  }
  // Leave an idle queue for the latency runs: unclaimed rows go, leased ones finish. A plain
  // DELETE of the unleased rows raced the running worker: rows it claimed after the DELETE's
  // snapshot were in both lock sets (the DELETE's and a result write's, each locking log rows),
  // and at load 20 five DELETEs in a row were a deadlock's victim. So the rows are first leased to
  // the bench: that UPDATE locks only queue rows, which claims and hand-overs skip (SKIP LOCKED)
  // and never wait for; then no one else touches them and the DELETE cannot meet the worker.
  const owner = "bench-clean-up";
  await context.sql.query(`UPDATE "DeliveryQueue" SET "leaseOwner" = $1, "leaseUntil" = 'infinity' WHERE "leaseOwner" IS NULL`, [owner]);
  await context.sql.query(`DELETE FROM "Delivery" d USING "DeliveryQueue" q WHERE q.id = d.id AND q."leaseOwner" = $1`, [owner]);
  while ((await pendingCount(context.sql)) > 0) await sleep(200);
  // The delete leaves up to a million dead rows at once, which no running system produces: they
  // are cleaned up here rather than by an autovacuum running during (d).
  await context.sql.query(`VACUUM ANALYZE "Delivery", "DeliveryQueue"`);
}

// ---- (d) and (f) -------------------------------------------------------------------------------

async function newestCreatedAt(sql: pg.Pool): Promise<Date> {
  const { rows } = await sql.query<{ at: Date | null }>(`SELECT max("createdAt") AS at FROM "Delivery"`);
  return at(rows, 0).at ?? new Date(0);
}

/** Event → first attempt of every delivery created after `since`, once all of them went out. */
async function firstAttemptLatencies(sql: pg.Pool, since: Date, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Delivery" WHERE "createdAt" > $1 AND "attemptLog" = '[]'::jsonb`,
      [since],
    );
    if (at(rows, 0).n === 0 || Date.now() > deadline) break;
    await sleep(250);
  }
  const { rows } = await sql.query<{ ms: number | null }>(
    `SELECT extract(epoch FROM (("attemptLog"->0->>'at')::timestamptz - "createdAt")) * 1000 AS ms
       FROM "Delivery" WHERE "createdAt" > $1`,
    [since],
  );
  const waiting = rows.filter((row) => row.ms === null).length;
  return { latencies: rows.flatMap((row) => (row.ms === null ? [] : [Number(row.ms)])), waiting };
}

async function measureLatency(context: Context, server: ServerProcess, ingestKey: string) {
  const api = apiClient(server.origin, 128);
  const steps: Record<string, unknown>[] = [];
  try {
    const single = () => api.call("POST", "/api/events", ingestKey, SINGLE_BODY, [202]);
    await closedLoop(1_000, 8, single); // warm-up
    for (const rate of PLAN.rates) {
      await sleep(1_000);
      const since = await newestCreatedAt(context.sql);
      const { value: load, cpu } = await phase(context, `d-latency-${rate}`, () => openLoop(rate, PLAN.rateSeconds * 1000, 512, single));
      const { latencies, waiting } = await firstAttemptLatencies(context.sql, since);
      const latency = distribution(latencies);
      const achieved = perSecond(load.calls, load.sentMs);
      steps.push({ rate, achieved, late: load.late, waiting, ingest: summary(load), latencyMs: latency, cpu });
      const target = rate === 500 ? `p99 < ${TARGETS.latencyP99At500} ms` : "";
      addRow({
        section: "(d)",
        metric: `event → first attempt @ ${fmt(rate)}/s (sent ${fmt(achieved)}/s${load.late ? `, ${load.late} late` : ""}; ${latency.count} deliveries)`,
        value: `p50 ${ms(latency.p50)} / p95 ${ms(latency.p95)} / p99 ${ms(latency.p99)}`,
        target,
        met: rate === 500 ? latency.p99 < TARGETS.latencyP99At500 && load.late === 0 && waiting === 0 : null,
      });
      addRow({ section: "", metric: "  CPU (cores)", value: cpuText(cpu, achieved), target: "", met: null });
    }
  } finally {
    await api.close();
  }
  results.sections.latency = steps;
}

// ---- (i) isolation ---------------------------------------------------------------------------

/** Accepts TCP connections and never answers (a black hole), or answers 200 after `delayMs`. */
async function misbehavingEndpoint(kind: "black-hole" | "slow", delayMs = 5_000) {
  const sockets = new Set<net.Socket>();
  const server =
    kind === "black-hole"
      ? net.createServer((socket) => socket.on("error", () => {}))
      : http.createServer((req, res) => {
          req.resume();
          const timer = setTimeout(() => res.writeHead(200).end("ok"), delayMs);
          res.on("close", () => clearTimeout(timer));
        });
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Event → first attempt of one hook's deliveries created after `since`, once all of them went out. */
async function hookFirstAttempts(sql: pg.Pool, hookId: string, since: Date, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Delivery" WHERE "hookId" = $1 AND "createdAt" > $2 AND "attemptLog" = '[]'::jsonb`,
      [hookId, since],
    );
    if (at(rows, 0).n === 0) break;
    await sleep(250);
  }
  const { rows } = await sql.query<{ ms: number | null }>(
    `SELECT extract(epoch FROM (("attemptLog"->0->>'at')::timestamptz - "createdAt")) * 1000 AS ms
       FROM "Delivery" WHERE "hookId" = $1 AND "createdAt" > $2`,
    [hookId, since],
  );
  return distribution(rows.flatMap((row) => (row.ms === null ? [] : [Number(row.ms)])));
}

/**
 * The healthy webhook's event → first attempt at 40 events/s for 20 s, alone and then with a
 * black-hole endpoint and a 5 s endpoint subscribed to the same events (issue 10's isolation
 * figure). Target: p99 with the neighbours <= 2 x p99 alone + 50 ms.
 */
async function measureIsolation(context: Context, server: ServerProcess, ingestKey: string) {
  const RATE = 40;
  const SECONDS = quick ? 10 : 20;
  const api = apiClient(server.origin, 64);
  const single = () => api.call("POST", "/api/events", ingestKey, SINGLE_BODY, [202]);
  const hooks = JSON.parse(await api.call("GET", "/api/hooks", context.adminKey)) as { id: string; name: string }[];
  const healthy = hooks.find((hook) => hook.name === "bench");
  if (!healthy) throw new Error("The bench hook is missing.");
  const neighbours = [await misbehavingEndpoint("black-hole"), await misbehavingEndpoint("slow")];
  const created: string[] = [];
  const figures: Record<string, ReturnType<typeof distribution>> = {};
  try {
    await closedLoop(1_000, 4, single); // warm-up
    for (const step of ["alone", "with neighbours"] as const) {
      if (step === "with neighbours") {
        for (const [n, endpoint] of neighbours.entries()) {
          const hook = JSON.parse(
            await api.call(
              "POST",
              "/api/hooks",
              context.adminKey,
              JSON.stringify({ name: n === 0 ? "black hole" : "slow 5 s", events: [EVENT.event], config: { url: endpoint.url } }),
            ),
          ) as { id: string };
          created.push(hook.id);
        }
      }
      await sleep(1_000);
      const since = await newestCreatedAt(context.sql);
      const { value: load, cpu } = await phase(context, `isolation-${step}`, () => openLoop(RATE, SECONDS * 1000, 64, single));
      const latency = await hookFirstAttempts(context.sql, healthy.id, since);
      figures[step] = latency;
      const alone = figures.alone; // measured by the first step
      addRow({
        section: "(i)",
        metric: `healthy hook, event → first attempt, ${step} @ ${RATE}/s × ${SECONDS} s (${latency.count} deliveries${load.late ? `, ${load.late} late` : ""})`,
        value: `p50 ${ms(latency.p50)} / p99 ${ms(latency.p99)}`,
        target: step === "alone" || !alone ? "" : `p99 ≤ ${ms(2 * alone.p99 + 50)}`,
        met: step === "alone" || !alone ? null : latency.p99 <= 2 * alone.p99 + 50,
      });
      addRow({ section: "", metric: "  CPU (cores)", value: cpuText(cpu, RATE), target: "", met: null });
    }
    const { rows: held } = await context.sql.query<{ name: string; status: string; n: number }>(
      `SELECT h.name, d.status::text AS status, count(*)::int AS n FROM "Delivery" d JOIN "Hook" h ON h.id = d."hookId"
        WHERE d."hookId" = ANY ($1::text[]) GROUP BY 1, 2 ORDER BY 1, 2`,
      [created],
    );
    log(`neighbours' deliveries at the end: ${held.map((row) => `${row.name} ${row.status} ${row.n}`).join(", ")}`);
    results.sections.isolation = { rate: RATE, seconds: SECONDS, ...figures, neighbours: held };
  } finally {
    // The neighbours go (their held and pending rows with them), so later sections run as before.
    await context.sql.query(`DELETE FROM "Hook" WHERE id = ANY ($1::text[])`, [created]);
    await Promise.all(neighbours.map((endpoint) => endpoint.close()));
    await api.close();
  }
}

async function measureSoak(context: Context, server: ServerProcess, ingestKey: string) {
  const api = apiClient(server.origin, 64);
  const samples: (MemorySample & { at: number })[] = [];
  const started = performance.now();
  let soaking = true;
  const sampler = (async () => {
    while (soaking) {
      samples.push({ at: Math.round((performance.now() - started) / 1000), ...(await server.memory()) });
      await sleep(PLAN.memoryEverySeconds * 1000);
    }
  })();
  const since = await newestCreatedAt(context.sql);
  // Not profiled: a profile of ten minutes would itself hold memory in the server.
  context.cpu.start();
  const load = await openLoop(PLAN.soakRate, PLAN.soakSeconds * 1000, 512, () =>
    api.call("POST", "/api/events", ingestKey, SINGLE_BODY, [202]),
  );
  const cpu = context.cpu.stop();
  soaking = false;
  await sampler;
  samples.push({ at: Math.round((performance.now() - started) / 1000), ...(await server.memory()) });
  await api.close();
  const { latencies, waiting } = await firstAttemptLatencies(context.sql, since);
  // Growth: a least-squares slope over the second half (after warm-up), and first vs last sample.
  const tail = samples.slice(Math.floor(samples.length / 2));
  const slope = (key: keyof MemorySample) => {
    const n = tail.length;
    const mx = tail.reduce((s, x) => s + x.at, 0) / n;
    const my = tail.reduce((s, x) => s + x[key], 0) / n;
    const num = tail.reduce((s, x) => s + (x.at - mx) * (x[key] - my), 0);
    const den = tail.reduce((s, x) => s + (x.at - mx) ** 2, 0);
    return den === 0 ? 0 : (num / den) * 60; // bytes per minute
  };
  const first = at(samples, 0);
  const warm = at(samples, Math.min(samples.length - 1, Math.max(1, Math.floor(samples.length / 5))));
  const last = samples.at(-1) as MemorySample & { at: number };
  const heapSlope = slope("heapUsed");
  const rssSlope = slope("rss");
  const latency = distribution(latencies);
  // "No growth": the live heap over the second half grows by less than 1 MB/min, i.e. would not
  // double in a day of running.
  const heapStable = heapSlope < 2 ** 20;
  results.sections.soak = {
    rate: PLAN.soakRate,
    seconds: PLAN.soakSeconds,
    sent: load.calls,
    late: load.late,
    errors: load.errors,
    waiting,
    latencyMs: latency,
    heapSlopeBytesPerMin: Math.round(heapSlope),
    rssSlopeBytesPerMin: Math.round(rssSlope),
    samples,
    cpu,
  };
  addRow({
    section: "(f)",
    metric: `soak ${PLAN.soakSeconds} s @ ${PLAN.soakRate}/s: heap after GC (start → warm → end)`,
    value: `${mb(first.heapUsed)} → ${mb(warm.heapUsed)} → ${mb(last.heapUsed)} (${(heapSlope / 2 ** 20).toFixed(2)} MB/min)`,
    target: "no growth",
    met: heapStable && load.errors === 0,
  });
  addRow({
    section: "(f)",
    metric: "  RSS (start → warm → end)",
    value: `${mb(first.rss)} → ${mb(warm.rss)} → ${mb(last.rss)} (${(rssSlope / 2 ** 20).toFixed(2)} MB/min)`,
    target: "",
    met: null,
  });
  addRow({
    section: "(f)",
    metric: `  event → first attempt during the soak (${latency.count} deliveries)`,
    value: `p50 ${ms(latency.p50)} / p95 ${ms(latency.p95)} / p99 ${ms(latency.p99)}`,
    target: "",
    met: null,
  });
}

// ---- (e) ---------------------------------------------------------------------------------------

async function measureConsoleApi(context: Context, databaseUrl: string) {
  log(`seeding ${fmt(PLAN.consoleRows)} delivery rows over ${PLAN.consoleSeedDays} day(s) (scripts/seed-deliveries.ts)…`);
  const seedStarted = performance.now();
  await runTs("seed", "scripts/seed-deliveries.ts", ["--rows", String(PLAN.consoleRows), "--days", String(PLAN.consoleSeedDays)], {
    DATABASE_URL: databaseUrl,
  });
  const seedSeconds = Math.round((performance.now() - seedStarted) / 1000);
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const { rows: hooks } = await sql.query<{ id: string }>(`SELECT id FROM "Hook" WHERE name = '[seed] hook 1'`);
  const { rows: counts } = await sql.query<{ total: number; day: number; hot: number }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE "createdAt" >= now() - interval '24 hours')::int AS day,
            count(*) FILTER (WHERE "hookId" = $1 AND "createdAt" >= now() - interval '24 hours')::int AS hot
       FROM "Delivery"`,
    [at(hooks, 0).id],
  );
  const hot = at(hooks, 0).id;
  const measure = async (api: ReturnType<typeof apiClient>, cases: [string, string][], label: string, routes: Record<string, unknown>) => {
    for (const [name, pathname] of cases) {
      const timings: number[] = [];
      for (let index = 0; index < 5; index++) await api.call("GET", pathname, context.adminKey); // warm-up
      for (let index = 0; index < PLAN.consoleRequests; index++) {
        const started = performance.now();
        await api.call("GET", pathname, context.adminKey);
        timings.push(performance.now() - started);
      }
      const latency = distribution(timings);
      routes[name] = { path: pathname, latencyMs: latency };
      addRow({
        section: "(e)",
        metric: `console API${label}: ${name}`,
        value: `p50 ${ms(latency.p50)} / p95 ${ms(latency.p95)}`,
        target: `p95 < ${TARGETS.consoleP95} ms`,
        met: latency.p95 < TARGETS.consoleP95,
      });
    }
  };
  const casesFor = async (api: ReturnType<typeof apiClient>): Promise<[string, string][]> => {
    const list = JSON.parse(await api.call("GET", "/api/hooks?page=1&page_size=20", context.adminKey)) as { id: string }[];
    const pageIds = list.map((hook) => hook.id).join(",");
    return [
      ["list with stats (page of 20)", "/api/hooks?page=1&page_size=20&includeExecutionStats=true"],
      ["list sparklines (20 hooks)", `/api/stats/sparklines?ids=${pageIds}`],
      ["recent-logs, page 1 (busiest hook)", `/api/hooks/${hot}/recent-logs?page=1&page_size=20`],
      ["recent requests table (busiest hook)", `/api/hooks/${hot}/deliveries`],
      ["chart: 24 h by hour (busiest hook)", `/api/hooks/${hot}/stats`],
      ["overview chart (all hooks)", "/api/stats/overview"],
    ];
  };
  const STATS_ROUTES = new Set([
    "list with stats (page of 20)",
    "list sparklines (20 hooks)",
    "chart: 24 h by hour (busiest hook)",
    "overview chart (all hooks)",
  ]);

  // Before any rollup the stats read raw rows only: what they cost before rollups existed. The
  // server runs without its worker here, whose rollup timer would otherwise start within seconds.
  const rawRoutes: Record<string, unknown> = {};
  if (PLAN.consoleRawStats) {
    const rawServer = await startServer(context, "console-api-raw", false, databaseUrl);
    const api = apiClient(rawServer.origin, 1);
    try {
      const cases = (await casesFor(api)).filter(([name]) => STATS_ROUTES.has(name));
      await phase(context, "e-console-api-raw", () => measure(api, cases, " (raw rows, no rollups)", rawRoutes));
    } finally {
      await api.close();
      await rawServer.stop();
    }
  }

  // What every worker does each minute, done once now that the rows are in.
  const rollupStarted = performance.now();
  await runTs("rollup", "scripts/rollup-deliveries.ts", [], { DATABASE_URL: databaseUrl });
  const rollupMs = Math.round(performance.now() - rollupStarted);
  // Steady state, as the seed leaves "Delivery": autovacuum visits the rollups within a minute of
  // a large rollup (their thresholds: 20261202060000_minute_stat_covering_idx), after which the
  // stats read them index-only; the measurement would otherwise start before that visit.
  await sql.query(`VACUUM (ANALYZE) "DeliveryMinuteStat"`);
  const { rows: rollupRows } = await sql.query<{ rolledFrom: Date; rolledUntil: Date; minutes: number }>(
    `SELECT r."rolledFrom", r."rolledUntil", (SELECT count(*) FROM "DeliveryMinuteStat")::int AS minutes FROM "DeliveryRollup" r`,
  );
  await sql.end();
  const rollup = rollupRows[0];
  log(
    `rollup: ${rollupMs} ms (process included), rolled up until ${rollup?.rolledUntil.toISOString()}, ${rollup?.minutes} hook-minute rows`,
  );

  const server = await startServer(context, "console-api", true, databaseUrl);
  const api = apiClient(server.origin, 1);
  const routes: Record<string, unknown> = {};
  try {
    const cases = await casesFor(api);
    const { cpu } = await phase(context, "e-console-api", () => measure(api, cases, "", routes));
    results.sections.consoleApi = {
      rows: counts[0],
      seedDays: PLAN.consoleSeedDays,
      seedSeconds,
      requestsPerRoute: PLAN.consoleRequests,
      rollup: { ms: rollupMs, ...rollup },
      routes,
      rawRoutes: PLAN.consoleRawStats ? rawRoutes : undefined,
      cpu,
    };
    const unrolled = rollup ? (Date.now() - rollup.rolledUntil.getTime()) / 60_000 : Number.NaN;
    addRow({
      section: "",
      metric: `  data: ${fmt(at(counts, 0).total)} rows, ${fmt(at(counts, 0).day)} in the last 24 h (busiest hook ${fmt(at(counts, 0).hot)}); rollup ${fmt(rollupMs)} ms, last ${fmt(unrolled)} min read raw`,
      value: "",
      target: "",
      met: null,
    });
  } finally {
    await api.close();
    await server.stop();
  }
}

// ---- report ------------------------------------------------------------------------------------

function table() {
  const header: Row = { section: "", metric: "metric", value: "value", target: "target", met: null, ratio: "vs (a)" };
  const rows = [header, ...results.rows];
  const width = (key: keyof Row) => Math.max(...rows.map((row) => String(row[key]).length));
  const [m, v, t, r] = [width("metric"), width("value"), width("target"), width("ratio")];
  return rows
    .map((row) => {
      const met = row === header ? "ok?" : row.met === null ? "" : row.met ? "yes" : "NO";
      return `${row.section.padEnd(4)} ${row.metric.padEnd(m)}  ${row.value.padEnd(v)}  ${row.target.padEnd(t)}  ${row.ratio.padStart(r)}  ${met}`;
    })
    .join("\n");
}

function markdown({ command, ...results }: Results) {
  const lines = [
    "# Benchmark results",
    "",
    `\`${command}\` — ${results.mode} run, ${results.startedAt} → ${results.finishedAt}`,
    "",
    `Machine: ${results.machine.cpus} × ${results.machine.model}, ${results.machine.memoryGb} GB, Node ${results.machine.node}; ` +
      `load average before ${results.machine.loadBefore.join(" / ")}, after ${results.machine.loadAfter?.join(" / ")}.`,
    "Everything runs on this one machine: the console server (production build, in-process worker), PostgreSQL, " +
      'the receiver (a separate Node process) and the load generator. "vs (a)" is each throughput as a share of (a) ' +
      'from the same run. "CPU (cores)" is the CPU each process group used during that phase (1.00 = one core busy ' +
      'throughout; "other" = the rest of the machine). "µs CPU/op" adds up the server, workers, PostgreSQL and the ' +
      'receiver per operation, and "all cores ≈" is the rate at which they would use every core of this machine: ' +
      "the bound when CPU is what runs out (the load generator's own CPU excluded).",
    "",
    "| | metric | value | target | vs (a) | met |",
    "|---|---|---|---|---|---|",
    ...results.rows.map(
      (row) =>
        `| ${row.section} | ${row.metric.trim()} | ${row.value} | ${row.target} | ${row.ratio} | ${row.met === null ? "" : row.met ? "yes" : "**no**"} |`,
    ),
    "",
  ];
  // Analysis that outlives a run (what bounds each figure, with profiles) is kept in bench/NOTES.md.
  const notes = path.join(repoRoot, "bench", "NOTES.md");
  if (existsSync(notes)) lines.push(readFileSync(notes, "utf8"));
  return lines.join("\n");
}

/** `next build` when stale; another build of this checkout (another user's) is waited for, not fought. */
async function buildWhenFree() {
  for (let attempt = 1; ; attempt++) {
    try {
      buildIfStale(log);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      log("the build failed (another `next build` running?); trying again in 30 s");
      await sleep(30_000);
    }
  }
}

/** `--report`: the summary again from bench/results.json (after editing bench/NOTES.md), no measuring. */
function rewriteReport() {
  const saved = JSON.parse(readFileSync(path.join(repoRoot, "bench", "results.json"), "utf8")) as Results;
  const file = saved.mode === "quick" ? "RESULTS.quick.md" : "RESULTS.md";
  writeFileSync(path.join(repoRoot, "bench", file), markdown(saved));
  console.log(`Wrote bench/${file} from bench/results.json`);
}

async function createIngestKey(databaseUrl: string) {
  const { createApiKey } = await import("../lib/api-keys/service");
  const { createContext } = await import("../lib/context");
  const ctx = createContext({ databaseUrl });
  try {
    return (await createApiKey(ctx, { name: "bench ingest", scope: "ingest" })).key;
  } finally {
    await ctx.close();
  }
}

async function main() {
  if (flags.report) return rewriteReport();
  log(`${results.mode} run; load average ${results.machine.loadBefore.join(" / ")} on ${results.machine.cpus} cores`);
  await buildWhenFree();
  const database = await startTestServer(process.env.DATABASE_URL, { baseDir: ".data/bench", preferredPort: 54349 });
  const receiver = await startReceiverProcess();
  const databaseUrl = await database.createDatabase("bench");
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const profileDir = flags.profile ? path.join(benchDataDir, "profiles") : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const context: Context = {
    adminKey: `bench_${randomToken(24)}`,
    databaseUrl,
    sql,
    receiverUrl: receiver.url,
    profileDir,
    cpu: cpuMeter({
      server: () => (running.server ? [running.server.pid] : []),
      workers: () => running.workers,
      postgres: () => (database.dataDir ? postgresPids(database.dataDir, "sessions") : []),
      "pg background": () => (database.dataDir ? postgresPids(database.dataDir, "background") : []),
      receiver: [receiver.pid],
      bench: [process.pid],
    }),
  };
  try {
    if (sections.has("a")) await measureRaw(context);

    // One webhook on the receiver, and an API key stored in the database, as a producer would use.
    const setup = await startServer(context, "setup", false);
    const admin = apiClient(setup.origin, 1);
    await admin.call(
      "POST",
      "/api/hooks",
      context.adminKey,
      JSON.stringify({ name: "bench", events: [EVENT.event], config: { url: receiver.url } }),
    );
    // Keys are created by a signed-in admin, never by a key (scoped API keys): the bench makes its
    // ingest key through the same service the console's action calls.
    const ingestKey = await createIngestKey(context.databaseUrl);
    // One event while no worker runs: a pending delivery for the backlog of (c) to copy.
    await admin.call("POST", "/api/events", ingestKey, SINGLE_BODY, [202]);
    await admin.close();
    await setup.stop();

    if (sections.has("b")) await measureIngestion(context, ingestKey);
    if (sections.has("c") || sections.has("d") || sections.has("f") || sections.has("isolation")) {
      if (sections.has("c")) {
        const ceiling = Number.isFinite(rawRate) ? rawRate : 8_000;
        const windows = PLAN.extraWorkers > 0 ? 2 : 1;
        const backlog = await topUpBacklog(sql, Math.round(Math.min(ceiling, 8_000) * PLAN.drainSeconds * windows * 1.1));
        log(`backlog: ${fmt(backlog.total)} pending deliveries (${fmt(backlog.fromIngestion)} from (b), ${fmt(backlog.copied)} copied)`);
        results.sections.backlog = backlog;
      } else {
        await sql.query(`DELETE FROM "Delivery" WHERE status = 'pending'`);
      }
      const server = await startServer(context, "deliver", true);
      try {
        if (sections.has("c")) await measureDeliveries(context);
        if (sections.has("d")) await measureLatency(context, server, ingestKey);
        if (sections.has("isolation")) await measureIsolation(context, server, ingestKey);
        if (sections.has("f")) await measureSoak(context, server, ingestKey);
      } finally {
        await server.stop();
      }
    }
    if (sections.has("e")) await measureConsoleApi(context, await database.createDatabase("bench_console"));
  } finally {
    await running.server?.stop();
    await sql.end();
    await receiver.stop();
    await database.stop();
  }

  results.finishedAt = new Date().toISOString();
  results.machine.loadAfter = loadAverage();
  const outDir = path.join(repoRoot, "bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(outDir, quick ? "RESULTS.quick.md" : "RESULTS.md"), markdown(results));
  console.log(`\nWebhook Console bench (${results.mode}, ${results.startedAt}, node ${process.version}, ${results.machine.cpus} cores)`);
  console.log(table());
  console.log(`\nWrote bench/results.json and bench/${quick ? "RESULTS.quick.md" : "RESULTS.md"}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error("[bench] failed:", error);
  process.exit(1);
});
