// Not imported by anything Next bundles (its bundler would try to pack the thread's files); the
// entry points (scripts/console.ts, scripts/worker.ts) start process workers from here.
// The worker's engine on threads of its own: the web server's main thread keeps HTTP (ingestion,
// the console) and each delivery thread runs a worker (lib/delivery/worker.ts) with its own
// database pool, as separate processes would, in one process. A busy queue then no longer delays
// ingestion, nor ingestion the first attempts, and the two use two cores.
// The per-process caps are split across the threads (they add up to the process's caps); the
// leases' caps over all processes are the database's, as with any number of workers.
import { DELIVERY_SEMI_SPACE_MB } from "./heap";
import { availableParallelism, hostname } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import { randomId } from "@/lib/auth/crypto";
import type { AppConfig } from "@/lib/config";
import { appContext, type ServiceContext } from "@/lib/context";
import { reportWorkerState } from "@/lib/db/readiness";
import { logger } from "@/lib/observability/log";
import { addMetricSource } from "@/lib/observability/metrics";
import { secretsKeyFile } from "@/lib/secrets/at-rest";
import { onLocalWake, queuePolicy, WAKE_TAG } from "./queue";
import { startWorker, type DeliveryCounts, type WorkerHandle, type WorkerOptions } from "./worker";

/** What a delivery thread is told when it starts (lib/delivery/thread-entry.ts). */
export type ThreadData = {
  databaseUrl: string;
  /** The process's configuration, as parsed once by its entry point. */
  config: AppConfig;
  /** The key file the process opens signing keys with (it may have adopted the database's). */
  secretsKeyFile: string;
  owner: string;
  concurrency: number;
  caps: { hook: number; host: number };
  /** Housekeeping (retention, rollups) runs on one thread only. */
  housekeeping: boolean;
  /** The main thread's NOTIFY payload: it wakes the thread by message already. */
  mainWakeTag: string;
};

/** Main thread → thread. */
export type ToThread = { type: "wake" } | { type: "stop"; graceMs?: number } | { type: "metrics"; id: number };
/** Thread → main thread. */
export type FromThread =
  | { type: "ready" }
  | { type: "stopped"; counts: DeliveryCounts & { nextDueReads: number } }
  | { type: "metrics"; id: number; metrics: MetricObjectWithValues<MetricValue<string>>[] };

/** A crashed thread starts again after 1 s, doubling per crash in a row up to 60 s. */
const RESTART_DELAY_MS = 1_000;
const RESTART_DELAY_MAX_MS = 60_000;
/** A thread that ran this long before it exited starts the count of crashes in a row again. */
const STABLE_AFTER_MS = 60_000;

/**
 * The wait before restarting a thread that exited after `crashes` exits in a row: a thread that
 * cannot start (a bad configuration, a database that refuses it) is not respawned every second.
 */
export function restartDelay(crashes: number) {
  return Math.min(RESTART_DELAY_MAX_MS, RESTART_DELAY_MS * 2 ** Math.max(0, crashes - 1));
}
/** A thread that does not answer a scrape within this long is left out of it. */
const SCRAPE_TIMEOUT_MS = 2_000;

/**
 * DELIVERY_THREADS when set. Unset: 1 in a web process on a machine with more than one core (its
 * main thread serves HTTP), else 0. Two engines in one process each claim and write in smaller
 * groups (more statements per delivery), which costs more than the second thread gains on 2 cores.
 */
export function deliveryThreadCount(ctx: Pick<ServiceContext, "config">, serving: boolean) {
  return ctx.config.DELIVERY_THREADS ?? (serving && availableParallelism() > 1 ? 1 : 0);
}

/** `total` split into `parts` whole shares that add up to it, none below 1. */
export function split(total: number, parts: number, index: number) {
  return Math.max(1, Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

// A path, not `new URL(…, import.meta.url)`: Next's bundler would take that for an asset of its
// own (the bundle never starts threads; scripts/console.ts's copy of this module does).
// Computed when threads start, never on import.
const bootstrap = () => path.join(path.dirname(fileURLToPath(import.meta.url)), "thread-bootstrap.mjs");

// None of the process's flags: its preloads (--import) would run before the bootstrap has
// registered tsx (a TypeScript preload, like the bench's probe, fails there), and Node refuses
// per-process flags (--expose-gc) in a thread. V8's heap flags apply to the whole process anyway.
const THREAD_EXEC_ARGV: string[] = [];

// Delivery threads get the semi-space lib/delivery/heap.ts sets for delivering isolates.
// Their young generation: two semi-spaces and the new large objects, three times the semi-space.
export const deliveryThreadLimits = { maxYoungGenerationSizeMb: 3 * DELIVERY_SEMI_SPACE_MB };

type Slot = {
  index: number;
  worker: Worker | null;
  counts: DeliveryCounts & { nextDueReads: number };
  /** Exits in a row, each within STABLE_AFTER_MS of its start. */
  crashes: number;
};

const zeroCounts = () => ({ claimed: 0, handedOver: 0, succeeded: 0, failed: 0, pending: 0, released: 0, lost: 0, nextDueReads: 0 });

export function startDeliveryThreads(ctx: ServiceContext, count: number): WorkerHandle {
  const log = logger("worker");
  const policy = queuePolicy();
  // Never more threads than the caps can split into whole requests.
  const threads = Math.max(1, Math.min(count, policy.hookConcurrency, policy.hostConcurrency, ctx.config.DELIVERY_CONCURRENCY));
  const owner = `${hostname()}/${process.pid}/${randomId(6)}`;
  let stopping = false;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const waitingReady = new Set<number>();
  const slots: Slot[] = Array.from({ length: threads }, (_, index) => ({ index, worker: null, counts: zeroCounts(), crashes: 0 }));
  let scrapeId = 0;
  const scrapes = new Map<number, (metrics: MetricObjectWithValues<MetricValue<string>>[]) => void>();

  function spawnThread(slot: Slot) {
    const data: ThreadData = {
      databaseUrl: ctx.databaseUrl,
      config: ctx.config,
      secretsKeyFile: secretsKeyFile(),
      owner: `${owner}-t${slot.index}`,
      concurrency: split(ctx.config.DELIVERY_CONCURRENCY, threads, slot.index),
      caps: { hook: split(policy.hookConcurrency, threads, slot.index), host: split(policy.hostConcurrency, threads, slot.index) },
      housekeeping: slot.index === 0,
      mainWakeTag: WAKE_TAG,
    };
    const worker = new Worker(bootstrap(), {
      workerData: data,
      name: `delivery-${slot.index}`,
      execArgv: THREAD_EXEC_ARGV,
      resourceLimits: deliveryThreadLimits,
    });
    const startedAt = Date.now();
    slot.worker = worker;
    worker.on("message", (message: FromThread) => {
      if (message.type === "ready") {
        waitingReady.delete(slot.index);
        if (waitingReady.size === 0) markReady();
      } else if (message.type === "stopped") {
        slot.counts = message.counts;
        void worker.terminate();
      } else if (message.type === "metrics") {
        scrapes.get(message.id)?.(message.metrics);
      }
    });
    worker.on("error", (error) => log.error({ err: error, thread: slot.index }, "delivery thread failed"));
    worker.on("exit", (code) => {
      if (slot.worker === worker) slot.worker = null;
      if (stopping) return;
      // Its leases run out and are claimed again, as a crashed worker process's are.
      slot.crashes = Date.now() - startedAt >= STABLE_AFTER_MS ? 1 : slot.crashes + 1;
      const delay = restartDelay(slot.crashes);
      log.error(
        { thread: slot.index, code, crashes: slot.crashes },
        `delivery thread exited (code ${code}); starting it again in ${delay} ms`,
      );
      setTimeout(() => {
        if (!stopping) spawnThread(slot);
      }, delay).unref();
    });
  }

  for (const slot of slots) {
    waitingReady.add(slot.index);
    spawnThread(slot);
  }

  const post = (slot: Slot, message: ToThread) => slot.worker?.postMessage(message);
  const stopLocalWake = onLocalWake(() => {
    for (const slot of slots) post(slot, { type: "wake" });
  });
  const removeSource = addMetricSource(async () => {
    const answers = slots.map(
      (slot) =>
        new Promise<MetricObjectWithValues<MetricValue<string>>[]>((resolve) => {
          if (!slot.worker) return resolve([]);
          const id = ++scrapeId;
          const timer = setTimeout(() => {
            scrapes.delete(id);
            resolve([]);
          }, SCRAPE_TIMEOUT_MS);
          scrapes.set(id, (metrics) => {
            clearTimeout(timer);
            scrapes.delete(id);
            resolve(metrics);
          });
          post(slot, { type: "metrics", id });
        }),
    );
    return (await Promise.all(answers)).flat();
  });

  let started = false;
  void ready.then(() => (started = true));
  return {
    owner,
    ready,
    state: () => (slots.some((slot) => slot.worker === null) ? "restarting" : started ? "running" : "starting"),
    counts() {
      const total = zeroCounts();
      for (const slot of slots) for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += slot.counts[key];
      return total;
    },
    async stop({ graceMs } = {}) {
      if (stopping) return;
      stopping = true;
      stopLocalWake();
      removeSource();
      markReady();
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          if (!worker) return;
          const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
          post(slot, { type: "stop", graceMs });
          // The thread finishes or releases its attempts (up to the grace period), closes its
          // pool and exits; one that does not is ended, and its leases run out.
          const limit = (graceMs ?? ctx.sender.timeoutMs) + 10_000;
          const timer = setTimeout(() => void worker.terminate(), limit);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/**
 * A process's worker: on DELIVERY_THREADS threads of its own, or on
 * the calling thread when that is 0. `serving`: the process's main thread also serves HTTP.
 */
export function startProcessWorker(options: WorkerOptions & { serving: boolean }): WorkerHandle {
  const context = options.context ?? appContext();
  const threads = deliveryThreadCount(context, options.serving);
  return threads > 0 ? startDeliveryThreads(context, threads) : startWorker(options);
}

const globalForWorker = globalThis as unknown as { deliveryWorker?: WorkerHandle | null };

/**
 * Starts the worker inside the current (web) process once, unless DELIVERY_WORKER=off. Kept on
 * globalThis so a dev-server module reload does not start a second one.
 */
export function startInProcessWorker(options: WorkerOptions = {}): WorkerHandle | null {
  if ((options.context ?? appContext()).config.DELIVERY_WORKER === "off") return null;
  if (!globalForWorker.deliveryWorker) {
    const worker = startProcessWorker({ ...options, serving: true });
    globalForWorker.deliveryWorker = worker;
    reportWorkerState(() => worker.state());
  }
  return globalForWorker.deliveryWorker;
}

/** Stops the in-process worker, if one runs (server shutdown). */
export async function stopInProcessWorker(options?: { graceMs?: number }) {
  const worker = globalForWorker.deliveryWorker;
  globalForWorker.deliveryWorker = null;
  reportWorkerState(null);
  await worker?.stop(options);
}
