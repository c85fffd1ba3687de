// Machinery of the fault suite (lib/faults/*.faults.ts, `npm run test:faults`): a private embedded
// PostgreSQL that can be stopped and started again on the same port and data directory, worker
// child processes that can be SIGKILLed, the real ingestion route handlers on the lean Node path,
// receivers (in their own process) that count deliveries by webhook-id, and the invariant checks
// every scenario ends with.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { Pool } from "undici";
import { freePort } from "@/lib/testing/ports";
import { at, first } from "@/lib/assert";
import * as eventsBatchRoute from "@/app/api/events/batch/route";
import * as eventsRoute from "@/app/api/events/route";
import { faultContext } from "./context";
import { MAX_INTERRUPTIONS } from "@/lib/delivery/attempt";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { leanRouter } from "@/lib/http/node-adapter";
import { startTestServer } from "@/lib/testing/database";
import { entryArgs } from "@/lib/testing/entries";
import { parseTally, type ReceiverMessage, type ReceiverMode, type Tally } from "./receivers";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export type FaultDatabase = {
  url: string;
  /** Fast shutdown (SIGINT to the postmaster): open transactions abort, every client is cut off. */
  stop(): Promise<void>;
  /** Starts the server again on the same port and data directory. */
  start(): Promise<void>;
  dispose(): Promise<void>;
};

/** Its own server (not .data/test): the suite stops it, which would break anyone sharing it. */
export async function startFaultDatabase(): Promise<FaultDatabase> {
  const baseDir = path.resolve(`.data/faults-${process.pid}`);
  rmSync(baseDir, { recursive: true, force: true });
  const port = await freePort();
  let server: EmbeddedDatabase | null = await startEmbeddedPostgres({ baseDir, preferredPort: port });
  const { adminUrl } = server;
  const url = await (await startTestServer(adminUrl)).createDatabase("faults");
  return {
    url,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      if (server) return;
      server = await startEmbeddedPostgres({ baseDir, preferredPort: port });
      // Workers and pools hold this URL; a server on another port would be a different outage.
      if (server.adminUrl !== adminUrl) throw new Error(`PostgreSQL restarted on another port (wanted ${port}).`);
    },
    async dispose() {
      await server?.stop().catch(() => {});
      server = null;
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Worker child processes

export const WORKER_SCRIPT = path.resolve("scripts/worker.ts");
/** scripts/worker.ts with a short retry schedule, which the production entry point does not expose. */
export const FAST_RETRY_WORKER = path.resolve("lib/faults/worker-fixture.ts");

export type WorkerChild = {
  pid: number;
  /** Resolves once the worker logged "Started"; rejects if it exited first. */
  started: Promise<void>;
  isStarted(): boolean;
  alive(): boolean;
  /** The last lines it printed, for a failure message. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
};

export function spawnWorker(entry: string, env: Record<string, string>): WorkerChild {
  // node itself, not npx: one process, so SIGKILL hits the worker itself (its bundle, lib/testing/entries.ts).
  const child: ChildProcess = spawn(process.execPath, entryArgs(entry), {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let exited = false;
  let ready = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const started = new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (text.includes("Started")) {
        ready = true;
        resolve();
      }
      lines.push(...text.split("\n").filter(Boolean));
      if (lines.length > 60) lines.splice(0, lines.length - 60);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    void exit.then(() => reject(new Error(`worker ${child.pid} exited before it started:\n${lines.join("\n")}`)));
  });
  started.catch(() => {}); // a worker killed while starting is expected; callers await it when they care
  return {
    pid: child.pid ?? -1,
    started,
    isStarted: () => ready,
    alive: () => !exited,
    output: () => lines.join("\n"),
    async kill(signal) {
      if (exited) return;
      child.kill(signal);
      await exit;
    },
  };
}

/** Short timeout and lease so an abandoned claim comes back within seconds. */
export function workerEnv(databaseUrl: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: databaseUrl,
    ALLOW_LOCAL_ENDPOINTS: "true",
    DELIVERY_TIMEOUT_MS: "2000",
    DELIVERY_LEASE_MS: "4000",
    DELIVERY_CONCURRENCY: "48",
    ...extra,
  };
}

/** The leases a (dead) worker still holds: rows it claimed and never recorded. */
export function leasedBy(pid: number) {
  return faultContext().db.deliveryQueue.count({ where: { leaseOwner: { contains: `/${pid}/` } } });
}

// ---------------------------------------------------------------------------------------------
// Ingestion over HTTP: the real route handlers on the lean Node path (as scripts/console.ts mounts them)

export type IngestAnswer = { status: number; retryAfter: string | null; replayed: boolean; json: unknown };

export async function startIngestion() {
  const lean = leanRouter(
    { "/api/events": { POST: eventsRoute.POST }, "/api/events/batch": { POST: eventsBatchRoute.POST } },
    "http://localhost",
  );
  const server = http.createServer((req, res) => {
    if (!lean(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32 });
  return {
    async post(route: "/api/events" | "/api/events/batch", body: unknown, apiKey: string): Promise<IngestAnswer> {
      const res = await pool.request({
        path: route,
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await res.body.text();
      const retryAfter = res.headers["retry-after"];
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return {
        status: res.statusCode,
        retryAfter: typeof retryAfter === "string" ? retryAfter : null,
        replayed: res.headers["idempotent-replayed"] === "true",
        json,
      };
    },
    async close() {
      await pool.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Receivers, in a child process (see receivers.ts)

export type ReceiverProcess = {
  urls: string[];
  /** What each receiver saw so far. */
  report(): Promise<Tally[]>;
  close(): Promise<void>;
};

export async function startReceiverProcess(count: number, mode: ReceiverMode): Promise<ReceiverProcess> {
  const [script, ...execArgv] = entryArgs("lib/faults/receiver-process.ts").reverse();
  const child = fork(script!, [String(count), mode], {
    execArgv: execArgv.reverse(),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const next = (type: ReceiverMessage["type"]) =>
    new Promise<ReceiverMessage>((resolve, reject) => {
      const onMessage = (message: ReceiverMessage) => {
        if (message.type !== type) return;
        child.off("message", onMessage);
        resolve(message);
      };
      child.on("message", onMessage);
      void exited.then(() => reject(new Error("The receiver process exited.")));
    });
  const ready = await next("ready");
  return {
    urls: ready.type === "ready" ? ready.urls : [],
    async report() {
      const answer = next("report");
      child.send({ type: "report" });
      const message = await answer;
      return message.type === "report" ? message.tallies.map(parseTally) : [];
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Invariants

export type AuditRow = {
  id: string;
  eventId: string;
  hookId: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  /** attemptLog statuses in order (null: no response). */
  logStatuses: (number | null)[];
  logErrors: (string | null)[];
  /** An earlier claimant's lease ran out mid-attempt (it died or lost the database). */
  interrupted: boolean;
  /** An attempt timed out: the receiver may have taken it after the sender gave up. */
  timedOut: boolean;
};

export type Audit = {
  events: number;
  deliveries: number;
  pending: number;
  succeeded: number;
  failed: number;
  /** (event, hook) pairs with more than one row. */
  duplicateRows: number;
  /** Events whose `queued` differs from their delivery rows: half-written. */
  inconsistentEvents: number;
  /** Rows with more finished attempts than the retry budget, or more interruptions than their cap. */
  overBudget: number;
  /** Rows whose attemptLog length differs from `attempts`, described. */
  logMismatch: string[];
  rows: AuditRow[];
};

const INTERRUPTED_PREFIX = "Interrupted:";
const TIMED_OUT_PREFIX = "Timed out";

export async function audit(maxAttempts = 4): Promise<Audit> {
  // Both queries select aggregates: exactly one row each.
  const counts = first(
    await faultContext().db.$queryRaw<{ events: bigint; inconsistent: bigint }[]>`
    SELECT (SELECT count(*) FROM "Event") AS events,
           (SELECT count(*) FROM "Event" e
             WHERE e.queued <> (SELECT count(*) FROM "Delivery" d WHERE d."eventId" = e.id)) AS inconsistent`,
  );
  const pairs = first(
    await faultContext().db.$queryRaw<{ duplicated: bigint }[]>`
    SELECT count(*) AS duplicated FROM (
      SELECT 1 FROM "Delivery" GROUP BY "eventId", "hookId" HAVING count(*) > 1) AS t`,
  );
  const raw = await faultContext().db.$queryRaw<
    {
      id: string;
      eventId: string;
      hookId: string;
      status: AuditRow["status"];
      attempts: number;
      interruptions: number;
      probes: number;
      log: { status: number | null; error: string | null }[];
    }[]
  >`SELECT id::text AS id, "eventId"::text AS "eventId", "hookId", status::text AS status, attempts, interruptions, probes, "attemptLog" AS log FROM "Delivery"`;
  const rows: AuditRow[] = raw.map((row) => ({
    id: row.id,
    eventId: row.eventId,
    hookId: row.hookId,
    status: row.status,
    attempts: row.attempts,
    logStatuses: row.log.map((entry) => entry.status),
    logErrors: row.log.map((entry) => entry.error),
    interrupted: row.log.some((entry) => entry.error?.startsWith(INTERRUPTED_PREFIX) ?? false),
    timedOut: row.log.some((entry) => entry.error?.startsWith(TIMED_OUT_PREFIX) ?? false),
  }));
  return {
    events: Number(counts.events),
    deliveries: rows.length,
    pending: rows.filter((row) => row.status === "pending").length,
    succeeded: rows.filter((row) => row.status === "succeeded").length,
    failed: rows.filter((row) => row.status === "failed").length,
    duplicateRows: Number(pairs.duplicated),
    inconsistentEvents: Number(counts.inconsistent),
    // Interrupted attempts and probes of an open circuit are not charged to the retry budget (lib/delivery/state.ts).
    overBudget: raw.filter(
      (row) => row.attempts - row.interruptions - row.probes > maxAttempts || row.interruptions > MAX_INTERRUPTIONS + 1,
    ).length,
    logMismatch: rows
      .filter((row) => row.logStatuses.length !== row.attempts)
      .map(
        (row) =>
          `${row.id}: ${row.status}, ${row.attempts} attempt(s), log ${JSON.stringify(row.logErrors)} ${JSON.stringify(row.logStatuses)}`,
      ),
    rows,
  };
}

export type ReceiverCheck = {
  /** Delivery ids the receivers saw that match no row (a delivery the database does not know). */
  strangers: number;
  /** Acceptances beyond the first, summed over deliveries: what a receiver must deduplicate. */
  duplicates: number;
  /** Of those, the ones explained by a lost lease (the rest by an answer that came too late). */
  afterLostLease: number;
  /** Deliveries accepted twice with neither explanation, or received more often than attempted. */
  unexplained: string[];
  /** Succeeded rows no receiver ever accepted. */
  unseen: string[];
};

/**
 * At-least-once allows a repeat only where the sender could not know the receiver took it: a lost
 * lease (the log shows the interrupted attempt) or an answer that came after the timeout (the log
 * shows a timeout). No delivery may reach a receiver more often than it was attempted. Retries
 * after a failing answer are not duplicates: the receiver did not take the first one.
 */
export function checkReceipts(rows: AuditRow[], tallies: Tally[]): ReceiverCheck {
  const total = (id: string, pick: (tally: Tally) => Map<string, number>) =>
    tallies.reduce((sum, tally) => sum + (pick(tally).get(id) ?? 0), 0);
  const known = new Set(rows.map((row) => row.id));
  const strangers = tallies.reduce((sum, tally) => sum + [...tally.receipts.keys()].filter((id) => !known.has(id)).length, 0);
  const result: ReceiverCheck = { strangers, duplicates: 0, afterLostLease: 0, unexplained: [], unseen: [] };
  for (const row of rows) {
    const received = total(row.id, (tally) => tally.receipts);
    const accepted = total(row.id, (tally) => tally.accepted);
    if (accepted > 1) result.duplicates += accepted - 1;
    if (accepted > 1 && row.interrupted) result.afterLostLease += accepted - 1;
    if ((accepted > 1 && !row.interrupted && !row.timedOut) || received > row.attempts) {
      result.unexplained.push(
        `${row.id}: received ${received}, accepted ${accepted}, ${row.attempts} attempt(s), log ${JSON.stringify(row.logStatuses)}`,
      );
    }
    if (row.status === "succeeded" && accepted === 0) result.unseen.push(row.id);
  }
  return result;
}

/** Polls until no delivery is pending; returns false at the deadline. */
export async function drained(deadline: number) {
  while (Date.now() < deadline) {
    if ((await faultContext().db.delivery.count({ where: { status: "pending" } })) === 0) return true;
    await sleep(250);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The summary table

export type SummaryRow = {
  scenario: string;
  events: number;
  deliveries: number;
  lost: number;
  duplicates: number;
  durationMs: number;
  notes: string;
};

export function formatSummary(rows: SummaryRow[]) {
  const header = ["scenario", "events", "deliveries", "lost", "duplicates", "duration", "notes"];
  const cells = rows.map((row) => [
    row.scenario,
    String(row.events),
    String(row.deliveries),
    String(row.lost),
    String(row.duplicates),
    `${(row.durationMs / 1000).toFixed(1)} s`,
    row.notes,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => at(cell, column).length)));
  const line = (values: string[]) =>
    values
      .map((value, column) => value.padEnd(at(widths, column)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// An endpoint outage: a TCP gate in front of a receiver that refuses connections while down

export type Gate = { url: string; down(): Promise<void>; up(): Promise<void>; close(): Promise<void> };

/**
 * Listens on a fixed port and pipes each connection to `target`; while down it resets every
 * connection at once (ECONNRESET: no answer, as for a refused one). The port stays bound while
 * down: released, another process on this shared machine took it during an outage and answered
 * 4xx (267 deliveries failed for good, the breaker reset by each answer, opening only after 29 s).
 */
export async function startGate(target: string): Promise<Gate> {
  const targetUrl = new URL(target);
  const sockets = new Set<net.Socket>();
  let accepting = true;
  const server = net.createServer((socket) => {
    if (!accepting) {
      socket.resetAndDestroy();
      return;
    }
    const upstream = net.connect(Number(targetUrl.port), targetUrl.hostname);
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on("close", () => sockets.delete(end));
      end.on("error", () => {
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  const cut = () => {
    accepting = false;
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    down: async () => cut(),
    up: async () => {
      accepting = true;
    },
    close: async () => {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
