// One `npm run worker` draining a backlog, measured alone: the profile behind bench/NOTES.md's
// per-delivery costs. Unlike `npm run bench` (c), nothing else runs in the server meanwhile, and
// PostgreSQL's per-statement costs come from pg_stat_statements.
//   DATABASE_URL=postgresql://…/postgres npx tsx scripts/drain-profile.ts [--rows 20000] [--profile] [--pg-data DIR]
// DATABASE_URL is a server started with `shared_preload_libraries=pg_stat_statements` (a fresh
// database is created on it and dropped afterwards); --pg-data (its data directory) adds
// PostgreSQL's CPU to the figures; --profile writes the worker's V8 CPU profile to
// .data/bench/profiles/drain-worker.cpuprofile (summary: scripts/profile-summary.ts).
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { at } from "../lib/assert";
import { randomToken } from "../lib/auth/crypto";
import { applyMigrations, dropDatabase, ensureDatabase } from "../lib/db/migrate";
import { DELIVERY_NODE_FLAGS } from "../lib/delivery/heap";
import { buildPayload } from "../lib/events/payload";
import { repoRoot } from "./lib/build";
import { benchDataDir, cpuMeter, postgresPids, startReceiverProcess } from "./lib/bench-processes";
import { sleep } from "./lib/bench-stats";

const { values: flags } = parseArgs({
  options: {
    rows: { type: "string", default: "20000" },
    profile: { type: "boolean", default: false },
    "pg-data": { type: "string" },
    hooks: { type: "string", default: "1" },
  },
});
const rows = Number(flags.rows);
const hooks = Math.max(1, Number(flags.hooks));
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error("DATABASE_URL (a server with pg_stat_statements preloaded) is required");

const name = `wc_drain_${Date.now().toString(36)}`;
await ensureDatabase(adminUrl, name);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const databaseUrl = url.toString();
await applyMigrations(databaseUrl);
const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const receiver = await startReceiverProcess();

try {
  await sql.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
  const hookIds = Array.from({ length: hooks }, (_, index) => `drainhook${String(index).padStart(12, "0")}`);
  for (const id of hookIds) {
    await sql.query(
      `INSERT INTO "Hook" (id, name, events, url, headers, "signingKey", "updatedAt")
       VALUES ($1, 'drain', ARRAY['User.Created'], $2, '[{"key":"x-tenant","value":"acme"}]', $3, now())`,
      [id, receiver.url, randomToken(24)],
    );
  }
  const body = buildPayload(at(hookIds, 0), {
    event: "User.Created",
    createdAt: new Date(),
    data: { id: "u1", name: "Bench User", primaryEmail: "bench@example.com", customData: { plan: "pro" } },
    context: { userAgent: "bench/1", ip: "203.0.113.1", path: "/api/users", method: "POST", status: 201, params: {} },
  });
  await sql.query(
    `INSERT INTO "Delivery" (id, "hookId", event, "requestBody", "createdAt", "nextAttemptAt")
     SELECT gen_random_uuid(), ($3::text[])[1 + n % array_length($3::text[], 1)], 'User.Created', $1, now(), now()
     FROM generate_series(1, $2::int) AS n`,
    [body, rows, hookIds],
  );
  await sql.query(`VACUUM ANALYZE "Delivery", "DeliveryQueue"`);
  await sql.query(`SELECT pg_stat_statements_reset()`);

  const profileDir = path.join(benchDataDir, "profiles");
  mkdirSync(profileDir, { recursive: true });
  // One profile per thread (tsx's loader runs in its own): the main thread's is the largest.
  const rawDir = path.join(profileDir, "drain-raw");
  rmSync(rawDir, { recursive: true, force: true });
  const nodeArgs = flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${rawDir}`] : [];
  const worker = spawn(process.execPath, [...DELIVERY_NODE_FLAGS, ...nodeArgs, "--import", "tsx", "scripts/worker.ts"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, ALLOW_LOCAL_ENDPOINTS: "true", NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  // The queue's entries (pending deliveries): a scan of the log table every poll was counted in
  // PostgreSQL's CPU (≈ 190 µs per delivery at 20,000 rows).
  const pending = async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "DeliveryQueue"`)).rows[0]?.n ?? 0; // count(*) always answers one row
  const pgData = flags["pg-data"];
  const meter = cpuMeter({
    worker: [worker.pid as number],
    ...(pgData ? { db: () => postgresPids(pgData, "sessions"), dbBackground: () => postgresPids(pgData, "background") } : {}),
    receiver: [receiver.pid],
  });
  while ((await pending()) === rows) await sleep(20);
  meter.start();
  const startedLeft = await pending();
  const started = performance.now();
  let left = startedLeft;
  while (left > 0) {
    // Not more often: each count is a scan of the table, in the PostgreSQL CPU measured.
    await sleep(250);
    left = await pending();
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = meter.stop();
  const delivered = startedLeft;
  const rate = delivered / seconds;
  const us = (share: number | undefined) => (share === undefined ? "–" : Math.round((share * seconds * 1e6) / delivered));
  console.log(`\n[drain] ${delivered} deliveries in ${seconds.toFixed(2)} s: ${Math.round(rate)}/s`);
  console.log(
    `[drain] CPU µs/delivery: worker ${us(cpu.worker)}, db sessions ${us(cpu.db)}, db background ${us(cpu.dbBackground)}, receiver ${us(cpu.receiver)}; machine ${cpu.machine} cores busy, other ${cpu.other}`,
  );
  const statements = await sql.query<{
    query: string;
    calls: string;
    total: number;
    mean: number;
    rows: string;
    blks: string;
    wal: string;
  }>(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, total_exec_time + total_plan_time AS total,
            mean_exec_time AS mean, rows, shared_blks_hit + shared_blks_read + shared_blks_dirtied AS blks, wal_bytes AS wal
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY total DESC LIMIT 8`,
  );
  console.log(`[drain] pg_stat_statements (per delivery: exec µs, WAL bytes):`);
  for (const row of statements.rows) {
    console.log(
      `  ${String(Math.round((row.total * 1000) / delivered)).padStart(5)} µs ${String(Math.round(Number(row.wal) / delivered)).padStart(6)} B  calls ${row.calls}, mean ${row.mean.toFixed(2)} ms, rows ${row.rows}: ${row.query.slice(0, 110)}`,
    );
  }
  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
  if (flags.profile) {
    const [largest] = readdirSync(rawDir)
      .map((file) => path.join(rawDir, file))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    if (largest) renameSync(largest, path.join(profileDir, "drain-worker.cpuprofile"));
    rmSync(rawDir, { recursive: true, force: true });
    console.log(`[drain] profile: ${path.join(profileDir, "drain-worker.cpuprofile")}`);
  }
} finally {
  await receiver.stop();
  await sql.end();
  await dropDatabase(adminUrl, name);
}
