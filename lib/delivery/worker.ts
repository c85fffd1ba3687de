// The delivery worker. Three ways to run the same engine:
//   startInProcessWorker()   inside the web server (DELIVERY_WORKER=off disables it)
//   npm run worker           scripts/worker.ts, any number of processes on any number of machines
//   (both on DELIVERY_THREADS threads of their own, lib/delivery/threads.ts)
//   processDueDeliveries()   /api/cron/deliver, bounded in time, for platforms with a scheduler
// Work is found through LISTEN/NOTIFY (new deliveries within milliseconds) plus a timer set to the
// next due row (retries, abandoned leases), with a slow safety poll in case a notification is missed.
import { hostname } from "node:os";
import { randomId } from "@/lib/auth/crypto";
import { appContext, type ServiceContext } from "@/lib/context";
import { listen, type Subscription } from "@/lib/db/notifications";
import { startRetentionTimer } from "@/lib/deliveries/retention";
import { startRollupTimer } from "@/lib/deliveries/rollup";
import { lineLogger, logger } from "@/lib/observability/log";
import { recordClaimMetrics } from "@/lib/observability/metrics";
import { attemptDelivery, type AttemptResult, type HandOver } from "./attempt";
import type { Sender } from "./http";
import {
  claimDue,
  listenerName,
  DELIVERY_CHANNEL,
  msUntilNextDue,
  onLocalWake,
  originOf,
  queuePolicy,
  renewLeases,
  WAKE_TAG,
  type ClaimedDelivery,
  type RequestCaps,
} from "./queue";
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from "./retry";
import type { WorkerState } from "@/lib/db/readiness";

export type EngineOptions = {
  /** Attempts in flight at once in this process. */
  concurrency?: number;
  /** Most rows taken by one claim query. */
  batchSize?: number;
  /** How long a claim is reserved; kept longer than the request timeout. */
  leaseMs?: number;
  sender?: Sender;
  schedule?: RetrySchedule;
  /** Identifies this worker in `leaseOwner`. */
  owner?: string;
  /** Requests at once per hook and per origin in this engine; the policy's (per process) by default. */
  caps?: RequestCaps;
  /** Its database, configuration and sender; the entry point's (lib/context.ts) by default. */
  context?: ServiceContext;
};

export type WorkerOptions = EngineOptions & {
  /** Safety poll while idle; LISTEN/NOTIFY and the next-due timer do the real waking. */
  idlePollMs?: number;
  /** Hourly purge of deliveries past RETENTION_DAYS (lib/deliveries/retention); on unless false. */
  retention?: boolean;
  /** Per-minute rollups for the 24 h stats (lib/deliveries/rollup); on unless false. */
  rollups?: boolean;
  databaseUrl?: string;
  log?: (message: string) => void;
  /**
   * Woken directly by deliveries queued in this process (on unless false; tests of LISTEN turn it
   * off so that only the NOTIFY can wake the worker).
   */
  localWake?: boolean;
  /**
   * The WAKE_TAG of the process's main thread when this worker runs on a delivery thread (its
   * wake-ups arrive by message): its NOTIFYs are ignored, and the listener is named after it.
   */
  processTag?: string;
};

/** `claimed` counts every row started, `handedOver` those of them that a result write handed over. */
export type DeliveryCounts = Record<AttemptResult, number> & { claimed: number; handedOver: number };

export type WorkerHandle = {
  owner: string;
  /** Resolves once LISTEN is active, i.e. new deliveries wake this worker immediately. */
  ready: Promise<void>;
  /** `nextDueReads`: how often it asked the database when work is next due (an idle queue's timer). */
  counts(): DeliveryCounts & { nextDueReads: number };
  /** For readiness: starting until it listens, restarting while a delivery thread is down. */
  state(): WorkerState;
  /** Stops claiming, lets in-flight attempts finish for `graceMs`, then cancels and releases the rest. */
  stop(options?: { graceMs?: number }): Promise<void>;
};

const MIN_LEASE_MARGIN_MS = 2_000;
/** How soon a worker whose last claim left due rows behind (hook or host caps) looks again. */
const CAPPED_RECHECK_MS = 50;
const DEFAULT_LEASE_MARGIN_MS = 30_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function settingsFrom(options: EngineOptions) {
  const env = (options.context ?? appContext()).config;
  const sender = options.sender ?? (options.context ?? appContext()).sender;
  const timeoutMs = sender.timeoutMs;
  const requestedLease = options.leaseMs ?? env.DELIVERY_LEASE_MS ?? timeoutMs + DEFAULT_LEASE_MARGIN_MS;
  return {
    timeoutMs,
    concurrency: Math.max(1, options.concurrency ?? env.DELIVERY_CONCURRENCY),
    batchSize: Math.max(1, options.batchSize ?? 100),
    // A lease shorter than a request would let a second worker send while the first still waits.
    leaseMs: Math.max(requestedLease, timeoutMs + MIN_LEASE_MARGIN_MS),
    sender,
    schedule: options.schedule ?? DEFAULT_RETRY_SCHEDULE,
    /** Requests at once per hook and per origin in this process (queue.ts LEASES_PER_REQUEST_SLOT). */
    caps: options.caps ?? { hook: queuePolicy().hookConcurrency, host: queuePolicy().hostConcurrency },
    owner: options.owner ?? `${hostname()}/${process.pid}/${randomId(6)}`,
  };
}

/** Attempts whose request has ended may wait for their grouped write up to this many times `concurrency`. */
const WRITE_BACKLOG_FACTOR = 4;
/**
 * A lease is renewed once half of it has passed while its attempt still runs (its request, or its
 * result waiting for a grouped write under a slow database); looked at every quarter lease. An
 * attempt still unfinished after this many leases is taken to be stuck: renewal stops, its lease
 * runs out and another worker takes the row (an interruption), as if this worker had died.
 */
const MAX_RENEWED_LEASES = 10;

type EngineEvents = {
  /** `handedOver`: the attempt's write leased the hook's next due row to this worker, which runs it in its slot. */
  onSettled(result: AttemptResult | "error", row: ClaimedDelivery, handedOver: boolean): void;
  /** A request ended: its slot may take new work while the result waits for its write. */
  onSlotFree(): void;
  /** Whether new work may still start (not stopping, within the cron pass's window). */
  mayStart(): boolean;
};

/**
 * Claims and runs attempts with bounded concurrency; shared by the worker and the cron pass.
 * `concurrency` bounds requests in flight. A slot frees when its request ends, not when its result
 * is written: results are grouped into shared statements (createBatcher), and waiting for them
 * left the sender idle most of the time under a backlog (scripts/bench.ts, section c). Rows are
 * claimed only for free slots, so every claimed row starts at once and its counted attempt is a
 * real request; it stays leased until its result is written.
 */
function createEngine(options: EngineOptions, { onSettled, onSlotFree, mayStart }: EngineEvents) {
  const settings = settingsFrom(options);
  const inFlight = new Map<string, Promise<void>>();
  const sending = new Set<string>();
  // One signal for every attempt of the engine: the sender listens to a signal once, however many
  // requests share it (http.ts exchangesOf), so a shutdown cancels them all with one abort.
  const cancel = new AbortController();
  const counts: DeliveryCounts = { claimed: 0, handedOver: 0, succeeded: 0, failed: 0, pending: 0, released: 0, lost: 0 };
  // When each leased row's lease was last (re)started, by this process's clock: taken before the
  // claim statement, so never later than the database's own start of that lease.
  const leasedAt = new Map<string, { first: number; last: number }>();
  let renewTimer: NodeJS.Timeout | undefined;
  // Slots kept for rows that writes in flight may hand over (attempt.ts HandOver).
  let reserved = 0;
  const handedOver = new Set<string>();
  let cancelled = false;
  // This process's requests in flight by hook id and by origin (its per-process caps), and rows
  // leased to it that wait for one of those to end: a lease also covers its result's write, so
  // leases run ahead of requests (queue.ts LEASES_PER_REQUEST_SLOT), and a row handed over while
  // its hook is at its request cap waits here for the next of the hook's requests to end.
  const requests = new Map<string, number>();
  const waiting: { hookId: string; origin: string; start(): void }[] = [];
  const bump = (counts: Map<string, number>, key: string, by: number) => {
    const n = (counts.get(key) ?? 0) + by;
    if (n > 0) counts.set(key, n);
    else counts.delete(key);
  };
  const hasRoom = (hookId: string, origin: string) =>
    cancelled || ((requests.get(hookId) ?? 0) < settings.caps.hook && (requests.get(origin) ?? 0) < settings.caps.host);
  function startWaiting() {
    for (let index = 0; index < waiting.length; index++) {
      const next = waiting[index];
      if (next && hasRoom(next.hookId, next.origin)) {
        waiting.splice(index--, 1);
        next.start();
      }
    }
  }
  /** What the claim counts as this process's: requests in flight and rows waiting to start. */
  function localLoad() {
    const load = new Map(requests);
    for (const { hookId, origin } of waiting) {
      bump(load, hookId, 1);
      bump(load, origin, 1);
    }
    return [...load].map(([key, n]) => ({ key, n }));
  }

  async function renewDue() {
    const now = performance.now();
    const { leaseMs } = settings;
    const due: string[] = [];
    for (const [id, lease] of leasedAt) {
      if (now - lease.last < leaseMs / 2) continue;
      if (now - lease.first > leaseMs * MAX_RENEWED_LEASES) {
        leasedAt.delete(id);
        logger("worker").warn(
          { deliveryId: id },
          `attempt still unfinished after ${MAX_RENEWED_LEASES} leases; its lease is left to run out`,
        );
        continue;
      }
      due.push(id);
    }
    if (due.length === 0) return;
    try {
      await renewLeases(settings.owner, due, leaseMs);
      for (const id of due) {
        const lease = leasedAt.get(id);
        if (lease) lease.last = now;
      }
    } catch (error) {
      // Tried again on the next tick; meanwhile the lease may run out, which costs a duplicate
      // attempt at worst (at-least-once), never an event.
      logger("worker").warn({ err: error }, "lease renewal failed");
    }
  }

  function watchLeases() {
    if (renewTimer) return;
    let renewing = false;
    renewTimer = setInterval(
      () => {
        if (leasedAt.size === 0) {
          clearInterval(renewTimer);
          renewTimer = undefined;
          return;
        }
        if (renewing) return;
        renewing = true;
        void renewDue().finally(() => (renewing = false));
      },
      Math.max(50, settings.leaseMs / 4),
    );
    renewTimer.unref();
  }

  const capacity = () =>
    Math.min(settings.concurrency - sending.size, settings.concurrency * WRITE_BACKLOG_FACTOR - inFlight.size) - reserved;

  function handOverFor(row: ClaimedDelivery): HandOver {
    return {
      leaseMs: settings.leaseMs,
      // The attempt's own slot is free by now (its request ended): keep one for the next row, but
      // only while a quarter of the slots stay free. A worker short of slots frees them when
      // requests end and shares them out through the claim, fair across hooks.
      reserve() {
        if (!mayStart() || capacity() - 1 < settings.concurrency / 4) return false;
        reserved++;
        return true;
      },
      adopt(next, leasedAtMs) {
        reserved--;
        if (!next) return;
        handedOver.add(row.id);
        counts.handedOver++;
        launch(next, leasedAtMs);
      },
    };
  }

  function launch(row: ClaimedDelivery, claimedAt: number) {
    counts.claimed++;
    leasedAt.set(row.id, { first: claimedAt, last: claimedAt });
    watchLeases();
    const origin = originOf(row.hook.url);
    const begin = () => {
      sending.add(row.id);
      bump(requests, row.hookId, 1);
      bump(requests, origin, 1);
    };
    const endRequest = () => {
      if (!sending.delete(row.id)) return false;
      bump(requests, row.hookId, -1);
      bump(requests, origin, -1);
      startWaiting();
      return true;
    };
    const freeSlot = () => {
      if (endRequest()) onSlotFree();
    };
    const sender: Sender = { ...settings.sender, send: (input) => settings.sender.send(input).finally(freeSlot) };
    // Handed over after a shutdown cancelled everything: the signal is aborted, so it is given back
    // at once, uncounted.
    const context = { ...settings, sender, signal: cancel.signal, handOver: handOverFor(row) };
    const started = hasRoom(row.hookId, origin)
      ? (begin(), Promise.resolve())
      : new Promise<void>((resolve) =>
          waiting.push({
            hookId: row.hookId,
            origin,
            start: () => {
              begin();
              resolve();
            },
          }),
        );
    const task = started
      .then(() => attemptDelivery(row, context))
      .then(
        (result) => result,
        (error: unknown) => {
          // The row keeps its lease and becomes due again when it expires; nothing is lost.
          logger("worker").error(
            { err: error, hookId: row.hookId, deliveryId: row.id },
            "delivery could not be recorded; it is retried when its lease expires",
          );
          return "error" as const;
        },
      );
    inFlight.set(
      row.id,
      task.then((result) => {
        // The slot is free before the callback runs: it decides whether to claim more.
        inFlight.delete(row.id);
        leasedAt.delete(row.id);
        endRequest(); // attempts that sent nothing (disabled hook, attempts used up)
        if (result !== "error") counts[result]++;
        const handed = handedOver.delete(row.id);
        onSettled(result, row, handed);
      }),
    );
  }

  return {
    settings,
    counts,
    inFlight,
    /** How many more rows a claim may take now. */
    free: capacity,
    /**
     * Claims up to `limit` due rows and starts them; returns how many it got, and whether due rows
     * were left behind only because their hook or host was at its cap (more to claim once slots free).
     */
    async claim(limit: number) {
      const started = performance.now();
      const { rows, capped } = await claimDue(
        settings.owner,
        Math.min(limit, settings.batchSize),
        settings.leaseMs,
        localLoad(),
        undefined,
        settings.caps,
      );
      recordClaimMetrics((performance.now() - started) / 1000, rows.length);
      for (const row of rows) launch(row, started);
      return { got: rows.length, capped };
    },
    /** Call once `mayStart` says no: writes still in flight may hand over rows until they end. */
    async drain(graceMs: number) {
      const until = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < until) {
        await Promise.race([Promise.allSettled([...inFlight.values()]), sleep(until - Date.now())]);
      }
      if (inFlight.size > 0) {
        cancelled = true;
        cancel.abort();
        startWaiting(); // cancelled: each is given back at once, uncounted
        while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
      }
      clearInterval(renewTimer);
      renewTimer = undefined;
    },
  };
}

export function startWorker(options: WorkerOptions = {}): WorkerHandle {
  const log = options.log ?? lineLogger("worker");
  const idlePollMs = options.idlePollMs ?? 5_000;
  const context = options.context ?? appContext();
  const databaseUrl = options.databaseUrl ?? context.databaseUrl;
  let stopping = false;
  let pumping: Promise<void> | null = null;
  let pumpAgain = false;
  // False while the last claim came back full: a freed slot should then claim again at once.
  let drained = false;
  // The next-due read arms the timer of an idle queue. While passes keep claiming rows, claims
  // also pick up retries and expired leases as they fall due, so a pass that claimed something
  // skips the read, unless this worker scheduled a retry since the last one.
  let nextDueStale = true;
  let nextDueReads = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerDueAt = Infinity;
  let listener: Subscription | null = null;
  let listening = false;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve)).then(() => void (listening = true));

  // With a backlog, refill in chunks: one claim per freed slot would double the queries.
  const refillIfBacklog = () => {
    if (!stopping && !drained && !capped && engine.free() >= refill) schedulePump();
  };
  // True while the last claim left due rows behind because of hook or host caps. A cap slot frees
  // when its attempt's result is written (the lease is what is counted), so such a worker claims
  // again when results are written: a grouped write settles many rows in one tick, one claim
  // takes all their slots.
  let capped = false;
  const engine = createEngine(options, {
    onSettled(result, _row, handedOver) {
      if (stopping) return;
      // A handed-over row took this attempt's slot: nothing to claim for it.
      if (handedOver) return;
      if (capped) schedulePump();
      else refillIfBacklog();
      if (result === "pending") {
        nextDueStale = true; // the next due time now includes this retry
        wakeIn(0);
      }
    },
    onSlotFree: refillIfBacklog,
    mayStart: () => !stopping,
  });

  const refill = Math.max(1, Math.min(engine.settings.batchSize, Math.floor(engine.settings.concurrency / 4)));

  function wakeIn(ms: number) {
    if (stopping) return;
    const dueAt = Date.now() + ms;
    if (timer && dueAt >= timerDueAt) return;
    clearTimeout(timer);
    timerDueAt = dueAt;
    timer = setTimeout(() => {
      timer = undefined;
      timerDueAt = Infinity;
      drained = false;
      schedulePump();
    }, ms);
  }

  let scheduled = false;
  function schedulePump() {
    if (scheduled || stopping) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void pump();
    });
  }

  function pump(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    // Cleared from a callback, not inside runPump: a pass that never awaits would otherwise clear
    // the flag before it was even set, and no pass would ever run again.
    const pass = runPump();
    pumping = pass;
    void pass.finally(() => {
      if (pumping !== pass) return;
      pumping = null;
      // A wake-up that arrived after the pass's last claim must not wait for the safety poll.
      if (pumpAgain) schedulePump();
    });
    return pass;
  }

  async function runPump() {
    try {
      let claimed = 0;
      capped = false;
      do {
        pumpAgain = false;
        while (!stopping && engine.free() > 0) {
          const limit = Math.min(engine.free(), engine.settings.batchSize);
          const claim = await engine.claim(limit);
          const { got } = claim;
          capped = claim.capped;
          claimed += got;
          // Capped: rows are due but their hooks are at their caps; the next freed slot claims again.
          drained = got < limit && !capped;
          if (got < limit) break;
        }
      } while (pumpAgain && !stopping);
      // When the last claim came back full, freed slots claim again; only an empty queue needs the
      // next-due timer. The safety poll is armed either way.
      const fallback = listener?.backendPid ? idlePollMs : Math.min(idlePollMs, 1_000);
      if (!stopping && capped) {
        // Due rows wait for slots of their hook or host. This worker's own attempts ending claim
        // again at once; slots held by other workers (or by a dead worker's leases, until they
        // run out) free without telling this one, so it looks again shortly.
        wakeIn(CAPPED_RECHECK_MS);
      } else if (!stopping && drained && (claimed === 0 || nextDueStale)) {
        nextDueStale = false;
        nextDueReads++;
        const next = await msUntilNextDue();
        // Rows due now but not claimable are being claimed by another worker: look again shortly.
        wakeIn(next === null ? fallback : Math.min(Math.max(next, 20), fallback));
      } else {
        wakeIn(fallback);
      }
    } catch (error) {
      log(`claim failed, retrying in 1 s: ${(error as Error).message}`);
      wakeIn(1_000);
    }
  }

  const wake = () => {
    drained = false;
    schedulePump();
  };
  const localWake = options.localWake !== false;
  const processTag = options.processTag ?? WAKE_TAG;
  const stopLocalWake = localWake ? onLocalWake(wake) : () => {};

  function startListening() {
    listener = listen(
      DELIVERY_CHANNEL,
      (payload) => {
        // Our own process's wake-up already ran (onLocalWake).
        if (localWake && (payload === WAKE_TAG || payload === processTag)) return;
        wake();
      },
      () => {
        // Listening again (or lost): anything queued while no notification could arrive is looked for now.
        if (listener?.backendPid) markReady();
        schedulePump();
      },
      // A worker not woken directly stands for another process: named apart, it gets the NOTIFYs.
      { databaseUrl, log, applicationName: listenerName(localWake ? processTag : randomId(12)) },
    );
  }

  startListening();
  void pump();
  // Housekeeping rides along with every worker; concurrent purgers split the work (SKIP LOCKED).
  const retention = options.retention === false ? null : startRetentionTimer(context);
  // So do the stats rollups; one process runs them at a time, the others skip (advisory lock).
  const rollups = options.rollups === false ? null : startRollupTimer(context);

  return {
    owner: engine.settings.owner,
    ready,
    counts: () => ({ ...engine.counts, nextDueReads }),
    state: () => (listening ? "running" : "starting"),
    async stop({ graceMs = engine.settings.timeoutMs } = {}) {
      if (stopping) return;
      stopping = true;
      stopLocalWake();
      markReady();
      clearTimeout(timer);
      await retention?.stop();
      await rollups?.stop();
      const subscription = listener;
      listener = null;
      await subscription?.close();
      await pumping;
      await engine.drain(graceMs);
    },
  };
}

export type ProcessOptions = EngineOptions & {
  /** Total time budget, in-flight attempts included. */
  deadlineMs: number;
};

/**
 * One bounded pass over due work (the cron route). New attempts start only while they can finish
 * within the budget; anything still running at the deadline is cancelled and released.
 */
export async function processDueDeliveries(options: ProcessOptions) {
  const started = Date.now();
  const until = started + options.deadlineMs;
  let wake: () => void = () => {};
  let stopClaimingAt = Infinity;
  const engine = createEngine(options, { onSettled: () => wake(), onSlotFree: () => wake(), mayStart: () => Date.now() < stopClaimingAt });
  const { timeoutMs } = engine.settings;
  stopClaimingAt = Math.max(until - timeoutMs, started + options.deadlineMs / 2);
  let queueEmpty = false;
  while (Date.now() < stopClaimingAt) {
    const free = engine.free();
    if (free > 0 && !queueEmpty) {
      const limit = Math.min(free, engine.settings.batchSize);
      queueEmpty = (await engine.claim(limit)).got < limit;
      continue;
    }
    if (engine.inFlight.size === 0) break;
    // Wait for a slot (or the end of the claiming window), then look for more work.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, stopClaimingAt - Date.now()));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    queueEmpty = false;
  }
  await engine.drain(Math.max(0, until - Date.now()));
  return { ...engine.counts, durationMs: Date.now() - started };
}
