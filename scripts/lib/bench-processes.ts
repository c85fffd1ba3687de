// The processes a benchmark runs against: the production console server (scripts/console.ts as a
// child, with the memory probe preloaded), the receiver child, and CPU accounting from /proc so a
// figure can say which process used the cores.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DELIVERY_NODE_FLAGS } from "../../lib/delivery/heap";
import { repoRoot } from "./build";
import type { MemorySample } from "./bench-probe";
import { sleep } from "./bench-stats";

export const benchDataDir = path.join(repoRoot, ".data/bench");
const logDir = path.join(benchDataDir, "logs");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A TypeScript entry point in its own Node process, output kept in .data/bench/logs/<name>.log. */
type SpawnOptions = { args?: string[]; nodeArgs?: string[]; env?: Record<string, string | undefined>; ipc?: boolean };

function spawnTs(name: string, script: string, options: SpawnOptions) {
  mkdirSync(logDir, { recursive: true });
  const child = spawn(process.execPath, ["--import", "tsx", ...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    // An IPC channel keeps the child alive: only for the children that talk back.
    stdio: options.ipc === false ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "pipe", "ipc"],
  });
  const log = createWriteStream(path.join(logDir, `${name}.log`));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

function exited(child: ChildProcess) {
  return new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

async function stopChild(child: ChildProcess, graceMs = 30_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited(child);
  clearTimeout(timer);
}

function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`No "${type}" message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown) => {
      if (message && typeof message === "object" && (message as { type?: unknown }).type === type) finish(null, message as T);
    };
    const onExit = (code: number | null) => finish(new Error(`The process exited (${code}) before sending "${type}"`));
    const finish = (error: Error | null, value?: T) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(value as T);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

export type ReceiverProcess = { url: string; pid: number; stop(): Promise<void> };

export async function startReceiverProcess(): Promise<ReceiverProcess> {
  const child = spawnTs("receiver", "scripts/lib/bench-receiver.ts", {});
  const { url } = await nextMessage<{ url: string }>(child, "ready", 30_000);
  return { url, pid: child.pid as number, stop: () => stopChild(child) };
}

export type ChildHandle = { pid: number; stop(): Promise<void> };

/** A standalone delivery worker (`npm run worker`) on the same database. */
export function startWorkerProcess(name: string, databaseUrl: string): ChildHandle {
  const child = spawnTs(name, "scripts/worker.ts", {
    nodeArgs: DELIVERY_NODE_FLAGS,
    env: { DATABASE_URL: databaseUrl, ALLOW_LOCAL_ENDPOINTS: "true" },
    ipc: false,
  });
  return { pid: child.pid as number, stop: () => stopChild(child) };
}

export type ServerOptions = {
  name: string;
  databaseUrl: string;
  apiKey: string;
  worker: boolean;
  env?: Record<string, string | undefined>;
};

export type ServerProcess = {
  origin: string;
  pid: number;
  memory(): Promise<MemorySample>;
  /** Records a V8 CPU profile of the server while `work` runs, into `file`. */
  profile<T>(file: string, work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
};

/** The run command with the production build, as an operator starts it, on a free port. */
export async function startConsoleServer(options: ServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const probe = pathToFileURL(path.join(repoRoot, "scripts/lib/bench-probe.ts")).href;
  const child = spawnTs(options.name, "scripts/console.ts", {
    nodeArgs: [...DELIVERY_NODE_FLAGS, "--expose-gc", "--import", probe],
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: options.databaseUrl,
      ALLOW_LOCAL_ENDPOINTS: "true",
      API_KEY: options.apiKey,
      DELIVERY_WORKER: options.worker ? "on" : "off",
      WC_KEEP_BUILD: "1",
      ...options.env,
    },
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  // Ready: the server answers, and with its worker on, the delivery thread listens (on a loaded
  // machine it starts seconds after the server answers, and (d)'s first events waited for it).
  const ready = () =>
    options.worker
      ? fetch(`${origin}/api/health/ready`)
          .then(async (res) => ((await res.json()) as { worker?: string }).worker === "running")
          .catch(() => false)
      : fetch(`${origin}/api/health`).then(
          (res) => res.ok,
          () => false,
        );
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The console server exited (${child.exitCode}); see ${logDir}/${options.name}.log`);
    if (Date.now() > deadline) throw new Error(`The console server was not ready within 180 s; see ${logDir}/${options.name}.log`);
    if (await ready()) break;
    await sleep(250);
  }
  return {
    origin,
    pid: child.pid as number,
    async memory() {
      const reply = nextMessage<{ sample: MemorySample }>(child, "memory", 10_000);
      child.send("memory");
      return (await reply).sample;
    },
    async profile(file, work) {
      const started = nextMessage(child, "profile-started", 10_000);
      child.send({ type: "profile-start" });
      await started;
      try {
        return await work();
      } finally {
        const stopped = nextMessage(child, "profile-stopped", 60_000);
        child.send({ type: "profile-stop", file });
        await stopped;
      }
    },
    stop: () => stopChild(child),
  };
}

/** Runs a TypeScript script to completion (e.g. the 1M-row seed); throws on a non-zero exit. */
export async function runTs(name: string, script: string, args: string[], env: Record<string, string>) {
  const code = await exited(spawnTs(name, script, { args, env, ipc: false }));
  if (code !== 0) throw new Error(`${script} failed (${code}); see ${logDir}/${name}.log`);
}

// ---- CPU accounting ----------------------------------------------------------------------------

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** utime + stime of a process in seconds, and its parent's pid; null once it has exited. */
function processCpu(pid: number): { seconds: number; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

function machineCpu() {
  const [cpu = ""] = readFileSync("/proc/stat", "utf8").split("\n");
  const values = cpu.trim().split(/\s+/).slice(1).map(Number);
  const [, , , idleTime = 0, ioWait = 0] = values; // /proc/stat's cpu line: user nice system idle iowait …
  const idle = idleTime + ioWait;
  const steal = values[7] ?? 0;
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle - steal) / TICKS_PER_SECOND, steal: steal / TICKS_PER_SECOND };
}

export type CpuGroups = Record<string, number[] | (() => number[])>;
/** Shares of one core; "steal" is time the hypervisor gave our virtual CPUs to someone else. */
export type CpuShares = Record<string, number> & { machine: number; other: number; steal: number };

/**
 * CPU used by groups of processes between `start()` and `stop()`, as a share of one core
 * (1.0 = one core busy the whole time); "other" is the rest of the machine (other users, the OS).
 */
export function cpuMeter(groups: CpuGroups) {
  const pidsOf = (entry: number[] | (() => number[])) => (typeof entry === "function" ? entry() : entry);
  const sample = () => {
    const perGroup: Record<string, Map<number, number>> = {};
    for (const [name, entry] of Object.entries(groups)) {
      perGroup[name] = new Map(pidsOf(entry).map((pid) => [pid, processCpu(pid)?.seconds ?? 0]));
    }
    return { perGroup, machine: machineCpu(), at: performance.now() };
  };
  let first = sample();
  return {
    start() {
      first = sample();
    },
    stop(): CpuShares {
      const last = sample();
      const wall = (last.at - first.at) / 1000;
      const shares: Record<string, number> = {};
      let ours = 0;
      for (const name of Object.keys(groups)) {
        let seconds = 0;
        // Processes born during the window count from zero; those that died are lost (noted).
        for (const [pid, end] of last.perGroup[name] ?? []) seconds += end - (first.perGroup[name]?.get(pid) ?? 0);
        shares[name] = round2(seconds / wall);
        ours += seconds;
      }
      const machine = (last.machine.busy - first.machine.busy) / wall;
      const steal = (last.machine.steal - first.machine.steal) / wall;
      return { ...shares, machine: round2(machine), other: round2(Math.max(0, machine - ours / wall)), steal: round2(steal) };
    },
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

// PostgreSQL's own housekeeping, told apart by process title: checkpoints, WAL writing, vacuum.
const POSTGRES_BACKGROUND =
  /^postgres: (checkpointer|background writer|walwriter|autovacuum|logical replication|io worker|archiver|walsummarizer)/;

function processTitle(pid: number) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "";
  }
}

/**
 * The processes of an embedded data directory (for CPU accounting): "sessions" are the postmaster
 * and the connections running our queries; "background" is PostgreSQL's housekeeping (checkpointer,
 * WAL writer, autovacuum, ...), work the queries cause later rather than while they run.
 */
export function postgresPids(dataDir: string, which: "sessions" | "background" = "sessions"): number[] {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return [];
  const postmaster = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  const children = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => processCpu(pid)?.ppid === postmaster)
    .filter((pid) => POSTGRES_BACKGROUND.test(processTitle(pid)) === (which === "background"));
  return which === "sessions" ? [postmaster, ...children] : children;
}

export function loadAverage() {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
}
