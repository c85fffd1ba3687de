// The worker on delivery threads (lib/delivery/threads.ts) against the test's database and a
// real local receiver: every event delivered once, woken by the main thread without waiting for
// a poll, the process's caps split across the threads, the threads' metrics in the process's
// scrape, and a stop that leaves nothing leased.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at } from "@/lib/assert";
import { emit, emitBatch } from "@/lib/events/service";
import { scrape } from "@/lib/observability/metrics";
import { configure, ctx, db } from "@/lib/testing/context";
import { createTestHook } from "@/lib/testing/hooks";
import { maxOverlap, startReceiver, type Receiver } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { waitFor } from "@/lib/testing/wait";
import { standardWebhooksSecret } from "./signing";
import { checkReadiness } from "@/lib/db/readiness";
import { DELIVERY_NODE_FLAGS, DELIVERY_SEMI_SPACE_MB } from "./heap";
import { deliveryThreadLimits, restartDelay, split, startDeliveryThreads, startInProcessWorker, stopInProcessWorker } from "./threads";
import type { WorkerHandle } from "./worker";

let receiver: Receiver | null = null;
let threads: WorkerHandle | null = null;
let restore = () => {};

beforeEach(async () => {
  await resetDatabase();
  restore = configure({ ALLOW_LOCAL_ENDPOINTS: "true" });
});

afterEach(async () => {
  await threads?.stop({ graceMs: 1_000 });
  threads = null;
  await receiver?.close();
  receiver = null;
  restore();
});

const pending = () => db.delivery.count({ where: { status: "pending" } });
const sample = (text: string, name: string) =>
  Number(
    text
      .split("\n")
      .find((line) => line.startsWith(`${name} `))
      ?.split(" ")[1] ?? 0,
  );

describe("delivery threads", () => {
  it("split a total into whole shares that add up to it", () => {
    expect([0, 1].map((index) => split(64, 2, index))).toEqual([32, 32]);
    expect([0, 1].map((index) => split(5, 2, index))).toEqual([3, 2]);
    expect([0, 1, 2].map((index) => split(256, 3, index))).toEqual([86, 85, 85]);
  });

  it("wait longer before each restart of a thread that keeps crashing, up to a minute", () => {
    expect([1, 2, 3, 4, 6, 7, 8, 20].map(restartDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it("report the web process's worker in readiness: starting, running, off once stopped; never unready for it", async () => {
    const restoreThreads = configure({ ALLOW_LOCAL_ENDPOINTS: "true", DELIVERY_THREADS: "1" });
    try {
      expect((await checkReadiness()).worker).toBe("off");
      const worker = startInProcessWorker({ context: ctx });
      expect(worker).not.toBeNull();
      expect(await checkReadiness()).toMatchObject({ ready: true, worker: "starting" });
      await worker?.ready;
      expect(await checkReadiness()).toMatchObject({ ready: true, worker: "running" });
      await stopInProcessWorker({ graceMs: 1_000 });
      expect((await checkReadiness()).worker).toBe("off");
    } finally {
      await stopInProcessWorker({ graceMs: 0 });
      restoreThreads();
    }
  });

  it("deliver every event once, woken by the main thread, and report their metrics in the process's scrape", async () => {
    receiver = await startReceiver([{ status: 200 }]);
    const hook = await createTestHook({ url: receiver.url });
    const before = (await scrape()).body;
    threads = startDeliveryThreads(ctx, 2);
    await threads.ready;
    await emitBatch(
      ctx,
      Array.from({ length: 40 }, (_, n) => ({ event: "User.Created", data: { n } })),
    );
    await waitFor(async () => (await pending()) === 0, 20_000);
    // One more, alone: picked up well within the workers' 5 s safety poll.
    const queuedAt = Date.now();
    await emit(ctx, { event: "User.Created", data: { n: 40 } });
    await receiver.waitForRequests(41, 3_000);
    expect(Date.now() - queuedAt).toBeLessThan(2_000);
    await waitFor(async () => (await pending()) === 0, 5_000);
    const ids = receiver.requests.map((request) => String(request.headers["webhook-id"]));
    expect(ids).toHaveLength(41);
    expect(new Set(ids).size).toBe(41);
    // Signed with the hook's key, opened by the thread with its process's key file.
    const request = at(receiver.requests, 40);
    const verified = new Webhook(standardWebhooksSecret(hook.signingKey)).verify(request.body, {
      "webhook-id": String(request.headers["webhook-id"]),
      "webhook-timestamp": String(request.headers["webhook-timestamp"]),
      "webhook-signature": String(request.headers["webhook-signature"]),
    });
    expect(verified).toMatchObject({ hookId: hook.id, event: "User.Created", data: { n: 40 } });
    // The threads count their attempts; the main thread's scrape sums them with its own.
    const after = (await scrape()).body;
    const succeeded = 'webhook_deliveries_total{result="succeeded"}';
    expect(sample(after, succeeded) - sample(before, succeeded)).toBe(41);
    expect(after).toContain("webhook_queue_depth");
    await threads.stop({ graceMs: 1_000 });
    expect(threads.counts().succeeded).toBe(41);
    threads = null;
    expect(await db.deliveryQueue.count({ where: { leaseOwner: { not: null } } })).toBe(0);
  }, 40_000);

  it("hold the process's per-hook cap between them", async () => {
    restore = configure({ ALLOW_LOCAL_ENDPOINTS: "true", DELIVERY_HOOK_CONCURRENCY: "4" });
    const HOLD = 150;
    receiver = await startReceiver([{ status: 200, delayMs: HOLD }]);
    await createTestHook({ url: receiver.url });
    // Both threads listening first: a thread that booted late (its module graph compiled under
    // load) would find the rows gone to the other one, and the overlap would show only one share.
    threads = startDeliveryThreads(ctx, 2);
    await threads.ready;
    await emitBatch(
      ctx,
      Array.from({ length: 24 }, (_, n) => ({ event: "User.Created", data: { n } })),
    );
    await waitFor(async () => (await pending()) === 0, 20_000);
    expect(receiver.requests).toHaveLength(24);
    // 2 + 2: each thread sends at most its share of the process's 4 (one thread alone took 4).
    expect(maxOverlap(receiver.requests, HOLD)).toBeLessThanOrEqual(4);
    expect(maxOverlap(receiver.requests, HOLD)).toBeGreaterThanOrEqual(3);
  }, 40_000);

  it("run with the delivery semi-space: both run commands pass its flag, threads get it as their limit", async () => {
    const { scripts } = JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { scripts: Record<string, string> };
    for (const name of ["start", "worker"]) {
      for (const flag of DELIVERY_NODE_FLAGS) expect(scripts[name]).toContain(` ${flag} `);
    }
    // What a delivery thread's isolate gets: a semi-space of DELIVERY_SEMI_SPACE_MB.
    const probe = new Worker(
      `const { parentPort } = require("node:worker_threads");
       const v8 = require("node:v8");
       let garbage = [];
       for (let i = 0; i < 3e6; i++) garbage.push({ i });
       garbage = null;
       parentPort.postMessage(v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_size);`,
      { eval: true, resourceLimits: deliveryThreadLimits },
    );
    const newSpace = await new Promise<number>((resolve, reject) => probe.once("message", resolve).once("error", reject));
    await probe.terminate();
    // Grown past V8's default (two 16 MB semi-spaces), up to the limit; how far it grows is V8's call.
    expect(newSpace).toBeGreaterThan(2 * 16 * 2 ** 20);
    expect(newSpace).toBeLessThanOrEqual(2 * DELIVERY_SEMI_SPACE_MB * 2 ** 20);
  });
});
