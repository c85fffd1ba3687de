// Endpoint health (issue 10) against a real database, real workers and real local receivers:
// circuit transitions, held deliveries, probes, auto-disable and re-enable, the per-hook cap with
// two worker processes, fairness, the per-host cap, and bulk recovery.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configure, ctx, db, pool } from "@/lib/testing/context";
import { emit, emitBatch } from "@/lib/events/service";
import { getHook, retryHookNow, updateHook } from "@/lib/hooks/service";
import { recoverFailed } from "@/lib/deliveries/recover";
import { createTestHook } from "@/lib/testing/hooks";
import { maxOverlap, startReceiver, type Receiver, type Script } from "@/lib/testing/receiver";
import { entryArgs } from "@/lib/testing/entries";
import { resetDatabase } from "@/lib/testing/reset";
import { createSender, type Sender } from "./http";
import { LEASES_PER_REQUEST_SLOT } from "./queue";
import type { RetrySchedule } from "./retry";
import { startWorker, type WorkerHandle } from "./worker";
import { waitFor } from "@/lib/testing/wait";
import { attemptLog } from "@/lib/testing/stored";
import { at } from "@/lib/assert";

const FAST: RetrySchedule = { delaysMs: [20, 20, 20], jitter: 0, retryAfterCapMs: 100 };
const receivers: Receiver[] = [];
const senders: Sender[] = [];
const workers: WorkerHandle[] = [];
const children: ChildProcess[] = [];
const ENV_KEYS = [
  "DELIVERY_HOOK_CONCURRENCY",
  "DELIVERY_HOST_CONCURRENCY",
  "DELIVERY_BREAKER_THRESHOLD",
  "DELIVERY_BREAKER_COOLDOWN_MS",
  "DELIVERY_BREAKER_COOLDOWN_MAX_MS",
  "DELIVERY_AUTO_DISABLE_HOURS",
];

function settings(values: Partial<Record<(typeof ENV_KEYS)[number], string>>) {
  configure(values);
}

async function receiver(script?: Script) {
  const started = await startReceiver(script);
  receivers.push(started);
  return started;
}

function worker(options: Parameters<typeof startWorker>[0] = {}) {
  const sender = createSender({ allowLocal: true, timeoutMs: 1_000 });
  senders.push(sender);
  const started = startWorker({ sender, schedule: FAST, log: () => {}, retention: false, rollups: false, ...options });
  workers.push(started);
  return started;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const health = (hookId: string) => db.hookHealth.findUnique({ where: { hookId } });
const pending = (hookId?: string) => db.delivery.count({ where: { status: "pending", ...(hookId ? { hookId } : {}) } });
const events = (count: number) =>
  emitBatch(
    ctx,
    Array.from({ length: count }, (_, n) => ({ event: "User.Created", data: { n } })),
  );

/** Most requests a receiver held at once, given that it answers each after `holdMs`. */
beforeEach(async () => {
  await resetDatabase();
  settings({ DELIVERY_BREAKER_THRESHOLD: "5", DELIVERY_BREAKER_COOLDOWN_MS: "1500", DELIVERY_BREAKER_COOLDOWN_MAX_MS: "2000" });
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 0 })));
  await Promise.all(senders.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  configure(Object.fromEntries(ENV_KEYS.map((key) => [key, undefined])));
});

describe("the circuit breaker", () => {
  it("opens after the threshold, holds deliveries untouched, probes once per growing cooldown, closes on success and delivers all", async () => {
    let up = false;
    const endpoint = await receiver(() => (up ? { status: 200 } : { status: 503 }));
    const hook = await createTestHook({ url: endpoint.url });
    await events(8);
    worker({ concurrency: 2 });

    const opened = await waitFor(async () => (await health(hook.id))?.openedAt && health(hook.id));
    expect(opened.consecutiveFailures).toBeGreaterThanOrEqual(5);
    expect(opened.cooldownMs).toBe(1500);
    expect(opened.lastError).toBe("HTTP 503");
    expect((await getHook(ctx, hook.id)).health).toMatchObject({
      state: "circuit_open",
      since: opened.openedAt?.getTime(),
      lastError: "HTTP 503",
    });

    // Held: after the attempts in flight at the opening end, nothing goes out until the probe.
    await waitFor(async () => (await db.deliveryQueue.count({ where: { leaseOwner: { not: null } } })) === 0);
    const heldAt = endpoint.requests.length;
    const rows = await db.delivery.findMany();
    expect(rows.every((row) => row.status === "pending")).toBe(true);
    expect(rows.every((row) => row.attempts - row.interruptions - row.probes < 4)).toBe(true);
    expect((await getHook(ctx, hook.id)).health.held).toBe(8);
    // Quiet until the probe is due: nothing after the attempts in flight at the opening arrives
    // before it. Checked by arrival times, not by counting at a moment: on a loaded machine this
    // test's own waits run late, past the probe (a count after a 700 ms sleep failed so).
    const arrivedBefore = (from: number, due: Date | null) =>
      endpoint.requests.slice(from).filter((request) => request.receivedAt < due!.getTime()).length;
    await sleep(Math.max(0, Math.min(700, opened.nextProbeAt!.getTime() - Date.now() - 100)));
    expect(arrivedBefore(heldAt, opened.nextProbeAt)).toBe(0);

    // One probe after the cooldown; it fails, so the cooldown doubles (capped at 2 s): the next
    // probe is due a whole 2 s after this one arrived (the failure's write comes after it).
    await endpoint.waitForRequests(heldAt + 1, 5_000);
    const probeArrived = at(endpoint.requests, heldAt).receivedAt;
    const grown = await waitFor(async () => ((await health(hook.id))?.cooldownMs === 2000 ? health(hook.id) : null));
    expect(grown.nextProbeAt!.getTime() - probeArrived).toBeGreaterThanOrEqual(1_950);
    await sleep(300);
    expect(arrivedBefore(heldAt + 1, grown.nextProbeAt)).toBe(0);
    const probed = await db.delivery.findFirstOrThrow({ where: { probes: { gt: 0 } } });
    expect(probed.status).toBe("pending");
    expect(attemptLog(probed.attemptLog).at(-1)).toMatchObject({ status: 503, probe: true });

    // Back up, and "Retry now": the probe goes at once, succeeds, the circuit closes, the rest flows.
    up = true;
    await retryHookNow(ctx, hook.id);
    await waitFor(async () => (await pending(hook.id)) === 0, 5_000);
    expect(await db.delivery.count({ where: { status: "succeeded" } })).toBe(8);
    expect((await health(hook.id))?.openedAt).toBeNull();
    expect((await getHook(ctx, hook.id)).health).toMatchObject({ state: "healthy", consecutiveFailures: 0, held: 0 });
    // Attempts counted honestly: one log entry per attempt, the receiver saw each of them.
    const all = await db.delivery.findMany();
    expect(all.every((row) => attemptLog(row.attemptLog).length === row.attempts)).toBe(true);
    expect(all.reduce((sum, row) => sum + row.attempts, 0)).toBe(endpoint.requests.length);
  }, 30_000);

  it("a success resets the run of failures, so an endpoint that fails now and then never opens", async () => {
    const endpoint = await receiver((_request, index) => (index % 4 === 3 ? { status: 200 } : { status: 500 }));
    const hook = await createTestHook({ url: endpoint.url });
    await events(6);
    worker({ concurrency: 1 });
    await waitFor(async () => (await pending()) === 0, 10_000);
    const row = await health(hook.id);
    expect(row?.openedAt ?? null).toBeNull();
    expect(row?.consecutiveFailures ?? 0).toBeLessThan(5);
    expect((await getHook(ctx, hook.id)).health.state).not.toBe("circuit_open");
  });

  it("a single event to an endpoint answering 500 forever still fails after 4 attempts (default threshold)", async () => {
    settings({ DELIVERY_BREAKER_THRESHOLD: "20" });
    const endpoint = await receiver([{ status: 500 }]);
    const hook = await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    worker();
    const done = await waitFor(() => db.delivery.findFirst({ where: { status: "failed" } }));
    expect(done.attempts).toBe(4);
    expect((await getHook(ctx, hook.id)).health).toMatchObject({ state: "failing", consecutiveFailures: 4, lastError: "HTTP 500" });
  });

  it("auto-disables a hook whose circuit stays open, keeps its held deliveries, and re-enabling delivers them", async () => {
    settings({ DELIVERY_BREAKER_COOLDOWN_MS: "200", DELIVERY_BREAKER_COOLDOWN_MAX_MS: "200", DELIVERY_AUTO_DISABLE_HOURS: "0.0003" });
    let up = false;
    const endpoint = await receiver(() => (up ? { status: 200 } : { reset: true }));
    const hook = await createTestHook({ url: endpoint.url });
    await events(7);
    worker({ concurrency: 2 });

    const disabled = await waitFor(async () => {
      const row = await db.hook.findUniqueOrThrow({ where: { id: hook.id } });
      return !row.enabled && row;
    }, 15_000);
    expect(disabled.disabledReason).toMatch(/^Disabled automatically: its endpoint kept failing for 1 second \(last error: .+\)\.$/);
    const output = await getHook(ctx, hook.id);
    expect(output.health).toMatchObject({ state: "auto_disabled", held: 7, nextProbeAt: null });
    expect(output.health.disabledReason).toBe(disabled.disabledReason);
    // Nothing is dropped or attempted while disabled.
    const seen = endpoint.requests.length;
    await sleep(600);
    expect(endpoint.requests.length).toBe(seen);
    expect(await pending(hook.id)).toBe(7);

    up = true;
    const enabled = await updateHook(ctx, hook.id, { enabled: true });
    expect(enabled.health.state).toBe("healthy");
    expect(enabled.health.disabledReason).toBeNull();
    await waitFor(async () => (await pending(hook.id)) === 0, 5_000);
    expect(await db.delivery.count({ where: { status: "succeeded" } })).toBe(7);
  }, 30_000);
});

describe("isolation", () => {
  it("caps requests per hook in each worker process, and leases over both at twice that", async () => {
    const HOLD = 300;
    const endpoint = await receiver([{ status: 200, delayMs: HOLD }]);
    await createTestHook({ url: endpoint.url });
    await events(36);
    const env = {
      ...process.env,
      DATABASE_URL: ctx.databaseUrl,
      ALLOW_LOCAL_ENDPOINTS: "true",
      DELIVERY_HOOK_CONCURRENCY: "3",
      DELIVERY_CONCURRENCY: "16",
    };
    for (let n = 0; n < 2; n++) {
      const child = spawn(process.execPath, entryArgs("scripts/worker.ts"), { env, stdio: "ignore" });
      children.push(child);
    }
    await waitFor(async () => (await pending()) === 0, 40_000);
    expect(endpoint.requests).toHaveLength(36);
    // Each process sends at most 3 at once, and leases (requests and results being written) are
    // capped at 3 x LEASES_PER_REQUEST_SLOT over both.
    expect(maxOverlap(endpoint.requests, HOLD)).toBeLessThanOrEqual(Math.min(2 * 3, 3 * LEASES_PER_REQUEST_SLOT));
  }, 60_000);

  it("keeps a hook's requests at its cap while earlier results wait for their write, up to LEASES_PER_REQUEST_SLOT times as many leases", async () => {
    settings({ DELIVERY_HOOK_CONCURRENCY: "4" });
    const endpoint = await receiver([{ status: 200 }]);
    await createTestHook({ url: endpoint.url });
    await events(20);
    // Every result write waits on this lock (a slow database): their leases stay held.
    const blocker = await pool.connect();
    try {
      await blocker.query(`BEGIN; SELECT id FROM "Delivery" FOR UPDATE`);
      worker({ concurrency: 64 });
      await waitFor(async () => endpoint.requests.length >= 4 * LEASES_PER_REQUEST_SLOT, 5_000);
      await sleep(300);
      // With leases capped at the request cap, 4 requests would be all until the writes ran.
      expect(endpoint.requests).toHaveLength(4 * LEASES_PER_REQUEST_SLOT);
    } finally {
      await blocker.query("COMMIT");
      blocker.release();
    }
    await waitFor(async () => (await pending()) === 0, 10_000);
    const ids = endpoint.requests.map((request) => String(request.headers["webhook-id"]));
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  }, 30_000);

  it("hands a settled lease over to the hook's next due row, never past its cap, each row once", async () => {
    settings({ DELIVERY_HOOK_CONCURRENCY: "8" });
    const HOLD = 100;
    const endpoint = await receiver([{ status: 200, delayMs: HOLD }]);
    await createTestHook({ url: endpoint.url });
    await events(200);
    const running = worker({ concurrency: 64 });
    await waitFor(async () => (await pending()) === 0, 20_000);
    const ids = endpoint.requests.map((request) => String(request.headers["webhook-id"]));
    expect(new Set(ids).size).toBe(200);
    // Every request is an attempt its row counted (a loaded machine may time one out and retry
    // it, at least once by design); a row leased twice would show a request it did not count.
    const rows = await db.delivery.findMany({ select: { status: true, attempts: true } });
    expect(rows.every((row) => row.status === "succeeded")).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(ids.length);
    expect(maxOverlap(endpoint.requests, HOLD)).toBeLessThanOrEqual(8);
    // Under the backlog, rows come from the writes far more than from claims.
    expect(running.counts().handedOver).toBeGreaterThan(150);
    expect(await db.deliveryQueue.count()).toBe(0);
  }, 30_000);

  it("is fair: a hook's backlog does not delay another hook's deliveries", async () => {
    settings({ DELIVERY_HOOK_CONCURRENCY: "2" });
    const busy = await receiver([{ status: 200, delayMs: 50 }]);
    const quiet = await receiver([{ status: 200 }]);
    const backlogged = await createTestHook({ url: busy.url, name: "busy" });
    await events(200);
    const other = await createTestHook({ url: quiet.url, name: "quiet" });
    await events(5); // both hooks get these five
    worker({ concurrency: 4 });
    await waitFor(async () => (await pending(other.id)) === 0, 10_000);
    expect(await pending(backlogged.id)).toBeGreaterThan(150);
    expect(maxOverlap(busy.requests, 50)).toBeLessThanOrEqual(2);
  }, 30_000);

  it("caps attempts in flight per endpoint origin, whatever the number of hooks on it", async () => {
    settings({ DELIVERY_HOOK_CONCURRENCY: "4", DELIVERY_HOST_CONCURRENCY: "3" });
    const HOLD = 200;
    const shared = await receiver([{ status: 200, delayMs: HOLD }]);
    for (let n = 0; n < 4; n++) await createTestHook({ url: shared.url, name: `shared ${n}` });
    await events(10);
    worker({ concurrency: 32 });
    await waitFor(async () => (await pending()) === 0, 20_000);
    expect(shared.requests).toHaveLength(40);
    expect(maxOverlap(shared.requests, HOLD)).toBe(3);
  }, 30_000);
});

describe("bulk recovery", () => {
  it("resends each failed request once, links it to the original, is idempotent and works in bounded batches", async () => {
    let up = false;
    const endpoint = await receiver(() => (up ? { status: 200 } : { status: 404 }));
    const hook = await createTestHook({ url: endpoint.url });
    await events(12);
    const running = worker();
    await waitFor(async () => (await db.delivery.count({ where: { status: "failed" } })) === 12);
    // One older failure outside the default 24 h window stays as it is.
    const old = await db.delivery.findFirstOrThrow();
    await db.delivery.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });

    up = true;
    const first = await recoverFailed(ctx, hook.id, {}, { batchSize: 5 });
    expect(first).toMatchObject({ queued: 11, eligible: 11, batches: 3 });
    // Again at once, while the resends may still be pending: nothing twice.
    expect((await recoverFailed(ctx, hook.id, {}, { batchSize: 5 })).queued).toBe(0);
    await waitFor(async () => (await pending()) === 0);
    const resends = await db.delivery.findMany({ where: { resendOfId: { not: null } } });
    expect(resends).toHaveLength(11);
    expect(resends.every((row) => row.status === "succeeded")).toBe(true);
    expect(new Set(resends.map((row) => row.resendOfId)).size).toBe(11);
    expect(resends.some((row) => row.resendOfId === old.id)).toBe(false);
    expect((await recoverFailed(ctx, hook.id, { since: Date.now() - 26 * 3_600_000 })).queued).toBe(1);
    await running.stop();
  });
});
