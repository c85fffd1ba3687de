// The delivery engine against real local receivers (node:http on 127.0.0.1) and a real database.
import { spawn, type ChildProcess } from "node:child_process";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at, first } from "@/lib/assert";
import * as cronRoute from "@/app/api/cron/deliver/route";
import { ctx, db, pool, configure } from "@/lib/testing/context";
import { emit } from "@/lib/events/service";
import { createTestHook } from "@/lib/testing/hooks";
import { call } from "@/lib/testing/http";
import { startReceiver, type Receiver, type Script } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import pg from "pg";
import { MAX_INTERRUPTIONS } from "./attempt";
import { REDACTED, USER_AGENT } from "./headers";
import { createSender, RESPONSE_EXCERPT_BYTES, type Sender, type SenderOptions } from "./http";
import { DELIVERY_CHANNEL, forgetListeners, listenerName, onLocalWake, wakeCounts, wakeWorkers } from "./queue";
import type { RetrySchedule } from "./retry";
import { logtoSignature, standardWebhooksSecret } from "./signing";
import { processDueDeliveries, startWorker, type WorkerHandle } from "./worker";
import { entryArgs } from "@/lib/testing/entries";
import { waitFor } from "@/lib/testing/wait";
import { attemptLog } from "@/lib/testing/stored";

const FAST: RetrySchedule = { delaysMs: [20, 20, 20], jitter: 0, retryAfterCapMs: 100 };
/** The timeout test's deadline. */
const TIMEOUT_MS = 400;
// Every other test's: on a loaded machine a local answer took over 400 ms, and the timed-out
// attempt's retry made a second request (attempts 2) where the test expected one.
const ROOMY_TIMEOUT_MS = 5_000;

const receivers: Receiver[] = [];
const senders: Sender[] = [];
const workers: WorkerHandle[] = [];
const children: ChildProcess[] = [];

async function receiver(script?: Script) {
  const started = await startReceiver(script);
  receivers.push(started);
  return started;
}

function sender(options: SenderOptions = {}) {
  const created = createSender({ allowLocal: true, timeoutMs: ROOMY_TIMEOUT_MS, ...options });
  senders.push(created);
  return created;
}

function worker(options: Parameters<typeof startWorker>[0] = {}) {
  const started = startWorker({ sender: sender(), schedule: FAST, log: () => {}, ...options });
  workers.push(started);
  return started;
}

/** Runs bounded passes until no delivery is pending. */
async function deliverAll(options: { sender?: Sender } = {}) {
  const chosen = options.sender ?? sender();
  await waitFor(async () => {
    await processDueDeliveries({ deadlineMs: 3_000, sender: chosen, schedule: FAST });
    return (await db.delivery.count({ where: { status: "pending" } })) === 0;
  });
  return db.delivery.findMany({ orderBy: { createdAt: "asc" } });
}

const log = attemptLog;

beforeEach(resetDatabase);

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await Promise.all(workers.splice(0).map((w) => w.stop({ graceMs: 0 })));
  await Promise.all(senders.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("a delivery", () => {
  it("arrives signed twice over the exact bytes, with our and the custom headers; one row records it", async () => {
    const endpoint = await receiver([{ status: 200, body: '{"ok":true}', headers: { "set-cookie": "sid=1" } }]);
    const hook = await createTestHook({
      url: endpoint.url,
      headers: [
        { key: "X-Team", value: "payments" },
        { key: "Authorization", value: "Bearer receiver-secret" },
      ],
    });
    const { id: eventId } = await emit(ctx, { event: "User.Created", data: { id: "u1", name: "Zoë" } });
    const delivery = first(await deliverAll());

    const request = first(endpoint.requests);
    expect(request.method).toBe("POST");
    expect(request.body).toBe(delivery.requestBody);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["user-agent"]).toBe(USER_AGENT);
    expect(request.headers["x-team"]).toBe("payments");
    expect(request.headers.authorization).toBe("Bearer receiver-secret");
    expect(request.headers["logto-signature-sha-256"]).toBe(logtoSignature(hook.signingKey, request.body));
    expect(request.headers["webhook-id"]).toBe(delivery.id);
    const verified = new Webhook(standardWebhooksSecret(hook.signingKey)).verify(request.body, {
      "webhook-id": String(request.headers["webhook-id"]),
      "webhook-timestamp": String(request.headers["webhook-timestamp"]),
      "webhook-signature": String(request.headers["webhook-signature"]),
    });
    expect(verified).toMatchObject({ hookId: hook.id, event: "User.Created", data: { id: "u1", name: "Zoë" } });

    expect(delivery).toMatchObject({
      eventId,
      status: "succeeded",
      attempts: 1,
      requestUrl: endpoint.url,
      responseStatus: 200,
      responseBody: '{"ok":true}',
      error: null,
    });
    // Settled: its queue entry (and lease) went with the final result.
    expect(await db.deliveryQueue.count()).toBe(0);
    expect(delivery.completedAt).toBeInstanceOf(Date);
    expect(delivery.durationMs).toBeGreaterThanOrEqual(0);
    expect(delivery.requestHeaders).toMatchObject({
      "x-team": "payments",
      authorization: REDACTED,
      // Signatures are not credentials (lib/delivery/redaction.ts): recorded as sent.
      "logto-signature-sha-256": request.headers["logto-signature-sha-256"],
      "webhook-signature": request.headers["webhook-signature"],
      "webhook-id": delivery.id,
    });
    expect(delivery.responseHeaders).toMatchObject({ "set-cookie": REDACTED });
    expect(log(delivery.attemptLog)).toEqual([{ at: expect.any(String), status: 200, durationMs: expect.any(Number), error: null }]);
  });

  it("500 forever: exactly 4 attempts of the same bytes, one row, failed", async () => {
    const endpoint = await receiver([{ status: 500, body: "boom" }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    const deliveries = await deliverAll();
    expect(deliveries).toHaveLength(1);
    const delivery = first(deliveries);
    expect(delivery).toMatchObject({ status: "failed", attempts: 4, responseStatus: 500, responseBody: "boom", error: "HTTP 500" });
    expect(log(delivery.attemptLog).map((entry) => entry.status)).toEqual([500, 500, 500, 500]);
    expect(endpoint.requests).toHaveLength(4);
    expect(new Set(endpoint.requests.map((r) => r.body))).toEqual(new Set([delivery.requestBody]));
    expect(new Set(endpoint.requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([delivery.id]));
  });

  it("503 then 200: succeeded after 2 attempts (retry woken by the worker's timer)", async () => {
    const endpoint = await receiver([{ status: 503 }, { status: 200 }]);
    await createTestHook({ url: endpoint.url });
    const w = worker({ idlePollMs: 60_000 });
    await w.ready;
    await emit(ctx, { event: "User.Created", data: {} });
    const delivery = await waitFor(() => db.delivery.findFirst({ where: { status: { not: "pending" } } }));
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2, responseStatus: 200, error: null });
    expect(log(delivery.attemptLog).map((entry) => [entry.status, entry.error])).toEqual([
      [503, "HTTP 503"],
      [200, null],
    ]);
  });

  it("404: failed after 1 attempt", async () => {
    const endpoint = await receiver([{ status: 404, body: "no such hook" }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    const [delivery] = await deliverAll();
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, responseStatus: 404, error: "HTTP 404" });
    expect(endpoint.requests).toHaveLength(1);
  });

  it("a timeout is retried", async () => {
    const endpoint = await receiver([{ status: 200, delayMs: TIMEOUT_MS * 3 }, { status: 200 }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    const delivery = first(await deliverAll({ sender: sender({ timeoutMs: TIMEOUT_MS }) }));
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2 });
    const timedOut = first(log(delivery.attemptLog));
    expect(timedOut).toMatchObject({ status: null, error: `Timed out after ${TIMEOUT_MS} ms.` });
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
  });

  it("a reset connection is retried as a network error", async () => {
    const endpoint = await receiver([{ reset: true }, { status: 204 }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    const delivery = first(await deliverAll());
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2, responseStatus: 204 });
    expect(first(log(delivery.attemptLog)).error).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
  });

  it("a redirect is not followed and fails at once", async () => {
    const elsewhere = await receiver();
    const endpoint = await receiver([{ status: 307, redirectTo: elsewhere.url }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    const delivery = first(await deliverAll());
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, responseStatus: 307 });
    expect(delivery.error).toBe(`HTTP 307: redirects are not followed (Location: ${elsewhere.url}).`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("keeps 4 KB of a large response and drops the rest", async () => {
    const endpoint = await receiver([{ status: 200, body: "é".repeat(100_000) }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    const delivery = first(await deliverAll());
    expect(Buffer.byteLength(delivery.responseBody ?? "")).toBe(RESPONSE_EXCERPT_BYTES);
  });

  it("uses the hook's current URL, headers and keys at send time, with the original bytes", async () => {
    const before = await receiver();
    const after = await receiver();
    const hook = await createTestHook({ url: before.url });
    await emit(ctx, { event: "User.Created", data: { n: 1 } });
    const newKey = "NewKeyNewKeyNewKeyNewKeyNewKey12";
    await db.hook.update({
      where: { id: hook.id },
      data: {
        url: after.url,
        headers: [{ key: "X-Version", value: "2" }],
        signingKey: newKey,
        previousSigningKey: hook.signingKey,
        previousKeyExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const delivery = first(await deliverAll());
    expect(before.requests).toHaveLength(0);
    const request = first(after.requests);
    expect(request.body).toBe(delivery.requestBody);
    expect(request.headers["x-version"]).toBe("2");
    expect(request.headers["logto-signature-sha-256"]).toBe(logtoSignature(newKey, request.body));
    const headers = {
      "webhook-id": String(request.headers["webhook-id"]),
      "webhook-timestamp": String(request.headers["webhook-timestamp"]),
      "webhook-signature": String(request.headers["webhook-signature"]),
    };
    // During the grace period both the old and the new key verify.
    expect(() => new Webhook(standardWebhooksSecret(newKey)).verify(request.body, headers)).not.toThrow();
    expect(() => new Webhook(standardWebhooksSecret(hook.signingKey)).verify(request.body, headers)).not.toThrow();
  });

  it("is not sent when the hook was disabled after the event was accepted", async () => {
    const endpoint = await receiver();
    const hook = await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    await db.hook.update({ where: { id: hook.id }, data: { enabled: false } });
    const delivery = first(await deliverAll());
    expect(delivery).toMatchObject({ status: "failed", attempts: 0 });
    expect(delivery.error).toMatch(/disabled/);
    expect(endpoint.requests).toHaveLength(0);
  });
});

describe("SSRF guard at connect time", () => {
  const blocked = (lookup?: SenderOptions["lookup"]) => sender({ allowLocal: false, lookup });
  const send = (s: Sender, url: string) => s.send({ url, headers: { "content-type": "application/json" }, body: "{}" });

  it("refuses plain http, private, loopback and names resolving to them, before any byte is sent", async () => {
    const endpoint = await receiver();
    const https = `https://127.0.0.1:${endpoint.port}/hook`;
    const cases: [string, RegExp, SenderOptions["lookup"]?][] = [
      [endpoint.url, /must use https/],
      [https, /loopback/],
      ["https://10.0.0.1/hook", /private/],
      [`https://[::1]:${endpoint.port}/hook`, /loopback/],
      ["https://169.254.169.254/latest/meta-data", /link-local/],
      ["https://localhost/hook", /local host name/],
      // DNS answers are vetted at connect time: no rebinding to an internal address.
      [`https://rebind.example.com:${endpoint.port}/hook`, /resolves to a loopback/, async () => [{ address: "127.0.0.1", family: 4 }]],
      [
        "https://mixed.example.com/hook",
        /resolves to a private/,
        async () => [
          { address: "93.184.216.34", family: 4 },
          { address: "192.168.1.10", family: 4 },
        ],
      ],
      [`https://six.example.com:${endpoint.port}/hook`, /resolves to a loopback/, async () => [{ address: "::1", family: 6 }]],
    ];
    for (const [url, reason, lookup] of cases) {
      const outcome = await send(blocked(lookup), url);
      expect({ url, failure: outcome.failure }).toEqual({ url, failure: "refused" });
      expect(outcome.error).toMatch(reason);
      expect(outcome.status).toBeNull();
    }
    expect(endpoint.requests).toHaveLength(0);
  });

  it("fails such a delivery after one attempt, recording why", async () => {
    await createTestHook({ url: "https://10.0.0.1/hook" });
    await emit(ctx, { event: "User.Created", data: {} });
    const delivery = first(await deliverAll({ sender: blocked() }));
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, responseStatus: null });
    expect(delivery.error).toMatch(/10\.0\.0\.1.*private/);
  });
});

describe("workers", () => {
  it("pick up new work through LISTEN/NOTIFY, not the safety poll", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    const w = worker({ idlePollMs: 60_000, localWake: false });
    await w.ready;
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the first idle pass settle
    await emit(ctx, { event: "User.Created", data: {} });
    // The NOTIFY, not the 60 s safety poll. A bound of seconds, not one: under CPU load the hops
    // (commit, NOTIFY, claim, send) can take most of a second.
    await endpoint.waitForRequests(1, 10_000);
  });

  it("are woken directly by deliveries queued in their own process, without the NOTIFY", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    // LISTEN is up, so its safety poll is the 60 s one, and it ignores the NOTIFY of its own process
    // (the wake tag): only the direct wake-up delivers within seconds. (Not a bound in milliseconds
    // against a 1 s poll: under CPU load a wake-up's claim and send alone can take 400 ms.)
    const w = worker({ idlePollMs: 60_000 });
    await w.ready;
    for (let n = 1; n <= 5; n++) {
      await emit(ctx, { event: "User.Created", data: { n } });
      await endpoint.waitForRequests(n, 10_000);
    }
  });

  it("listen again after losing the LISTEN connection, and catch up on what was queued meanwhile", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    const w = worker({ idlePollMs: 60_000, localWake: false });
    await w.ready;
    const listeners = () =>
      pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'webhook-console listen wc_deliveries %'`);
    const lost = first((await listeners()).rows);
    await pool.query("SELECT pg_terminate_backend($1)", [lost.pid]);
    await emit(ctx, { event: "User.Created", data: { n: 1 } }); // its NOTIFY reaches nobody
    await endpoint.waitForRequests(1, 5_000);
    await waitFor(async () => (await listeners()).rows.some((row) => row.pid !== lost.pid), 5_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the 1 s polls of a worker without LISTEN
    await emit(ctx, { event: "User.Created", data: { n: 2 } });
    // The NOTIFY on the new connection, not the 60 s safety poll it is back to.
    await endpoint.waitForRequests(2, 10_000);
  });

  it("send no NOTIFY while only this process's workers listen, and NOTIFY again once another process's worker listens", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    forgetListeners();
    const w = worker({ idlePollMs: 60_000 });
    await w.ready;
    const notifiedAfter = async (n: number) => {
      const before = wakeCounts.notified;
      await emit(ctx, { event: "User.Created", data: { n } });
      await endpoint.waitForRequests(n, 5_000);
      return wakeCounts.notified - before;
    };
    // Nobody else listens: the first wake-up asks pg_stat_activity (and NOTIFYs while it does not know).
    await notifiedAfter(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await notifiedAfter(2)).toBe(0);
    expect(await notifiedAfter(3)).toBe(0);

    // Another process's listener, as `npm run worker` elsewhere opens it.
    const other = new pg.Client({ connectionString: ctx.databaseUrl, application_name: listenerName("another-process") });
    const heard: string[] = [];
    other.on("notification", (message) => heard.push(message.payload ?? ""));
    await other.connect();
    try {
      await other.query(`LISTEN ${DELIVERY_CHANNEL}`);
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the last answer's 1 s
      await notifiedAfter(4); // asks again
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await notifiedAfter(5)).toBe(1);
      await waitFor(async () => heard.length >= 1, 2_000);
      // One request per event: our own worker ignored its process's NOTIFYs.
      expect(endpoint.requests).toHaveLength(5);
    } finally {
      await other.end();
    }
  });

  it("NOTIFY when this process's own listener cannot be told apart (not found under its name)", async () => {
    // A local wake-up with no listener of this process's name: as when DATABASE_URL's
    // application_name renames every session, so a listener elsewhere could be anyone's.
    const stop = onLocalWake(() => {});
    try {
      forgetListeners();
      const before = wakeCounts.notified;
      wakeWorkers();
      await new Promise((resolve) => setTimeout(resolve, 200));
      wakeWorkers();
      expect(wakeCounts.notified - before).toBe(2);
    } finally {
      stop();
    }
  });

  it("drain a backlog far larger than their concurrency without waiting for the safety poll", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    const { emitBatch } = await import("@/lib/events/service");
    await emitBatch(
      ctx,
      Array.from({ length: 60 }, (_, n) => ({ event: "User.Created", data: { n } })),
    );
    const started = Date.now();
    worker({ concurrency: 3, batchSize: 2, idlePollMs: 60_000 });
    await endpoint.waitForRequests(60, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("keep claiming after being woken while every slot was busy", async () => {
    const endpoint = await receiver([{ status: 200, delayMs: 300 }]);
    await createTestHook({ url: endpoint.url });
    const w = worker({ concurrency: 1, idlePollMs: 60_000 });
    await w.ready;
    await emit(ctx, { event: "User.Created", data: { n: 1 } });
    await endpoint.waitForRequests(1);
    await emit(ctx, { event: "User.Created", data: { n: 2 } }); // NOTIFY arrives while the only slot is busy
    await endpoint.waitForRequests(2, 3_000);
  });

  it("free a slot when its request ends, not when its result is written", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    const { emitBatch } = await import("@/lib/events/service");
    await emitBatch(ctx, [
      { event: "User.Created", data: { n: 1 } },
      { event: "User.Created", data: { n: 2 } },
    ]);
    // The first result's write waits on a row lock taken while its request is answered (the claim
    // has committed by then). Were the only slot held until the write, the second request would
    // wait for the lock too.
    const blocker = await pool.connect();
    try {
      await blocker.query("BEGIN");
      let firstId = "";
      let locking: Promise<unknown> = Promise.resolve();
      endpoint.setScript((request, index) => {
        if (index > 0) return { status: 200 };
        firstId = String(request.headers["webhook-id"]);
        locking = blocker.query(`SELECT 1 FROM "Delivery" WHERE id = $1 FOR UPDATE`, [firstId]);
        return { status: 200, delayMs: 200 };
      });
      worker({ concurrency: 1, batchSize: 1, idlePollMs: 60_000 });
      await endpoint.waitForRequests(2, 5_000);
      await locking;
      expect(await db.delivery.findUnique({ where: { id: firstId } })).toMatchObject({ status: "pending" });
      // Its result is not written yet: the queue entry still holds the counted attempt.
      expect(await db.deliveryQueue.findUnique({ where: { id: firstId } })).toMatchObject({ attempts: 1 });
    } finally {
      await blocker.query("COMMIT");
      blocker.release();
    }
    await waitFor(async () => (await db.delivery.count({ where: { status: "succeeded" } })) === 2);
  });

  it("read the next due time only when a pass found nothing, and still retry on time meanwhile", async () => {
    const endpoint = await receiver((_request, index) => ({ status: index === 0 ? 503 : 200 }));
    await createTestHook({ url: endpoint.url });
    const w = worker({ concurrency: 4, idlePollMs: 60_000 });
    await w.ready;
    const readsWhenReady = w.counts().nextDueReads;
    // A steady trickle: every notification's pass claims the new row, so none needs the read,
    // except the one after the first delivery's 503 (its retry is due in 20 ms).
    for (let n = 0; n < 20; n++) {
      await emit(ctx, { event: "User.Created", data: { n } });
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await endpoint.waitForRequests(21, 3_000);
    await waitFor(async () => (await db.delivery.count({ where: { status: "succeeded" } })) === 20, 3_000);
    // A read per pass would be 20 or more. Under CPU load a few more passes than events find
    // nothing (a wake-up whose row another pass took), so the bound leaves room for those.
    expect(w.counts().nextDueReads - readsWhenReady).toBeLessThanOrEqual(10);
  });

  it("two workers on one queue deliver every row exactly once", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url, name: "one" });
    await createTestHook({ url: endpoint.url, name: "two" });
    const inputs = Array.from({ length: 150 }, (_, n) => ({ event: "User.Created", data: { n } }));
    const { emitBatch } = await import("@/lib/events/service");
    await emitBatch(ctx, inputs);
    // The roomy timeout: with 400 ms, a loaded machine timed attempts out after the receiver had
    // the request, and their retries (at-least-once, as designed) made 304-348 requests for 300.
    // This test is about two workers never sharing a claim.
    const roomy = () => worker({ concurrency: 6, batchSize: 5 });
    const [a, b] = [roomy(), roomy()];
    await endpoint.waitForRequests(300, 20_000);
    await waitFor(async () => (await db.delivery.count({ where: { status: "pending" } })) === 0);
    await new Promise((resolve) => setTimeout(resolve, 200)); // any duplicate would have arrived by now
    const rows = await db.delivery.findMany({ select: { id: true, status: true, attempts: true, attemptLog: true } });
    const received = new Map<string, number>();
    for (const request of endpoint.requests)
      received.set(String(request.headers["webhook-id"]), (received.get(String(request.headers["webhook-id"])) ?? 0) + 1);
    // Every request the receiver saw is an attempt its delivery counted, and every attempt but the
    // last failed (a retry): a row claimed by both workers would show a second request after a success.
    const unexplained = rows.filter((row) => {
      const log = attemptLog(row.attemptLog);
      const retriedAfterSuccess = log.slice(0, -1).some((entry) => entry.status !== null && entry.status < 300);
      return row.status !== "succeeded" || received.get(row.id) !== row.attempts || retriedAfterSuccess;
    });
    expect(unexplained).toEqual([]);
    expect(received.size).toBe(300);
    expect(a.counts().claimed + b.counts().claimed).toBe(endpoint.requests.length);
    expect(a.counts().claimed).toBeGreaterThan(0);
    expect(b.counts().claimed).toBeGreaterThan(0);
    // With the roomy timeout nothing should need a retry here.
    expect(endpoint.requests).toHaveLength(300);
  });

  it("an attempt that outlives its lease (a slow result write) keeps it: no second worker sends it again", async () => {
    // The request itself stays within the sender's limit; what runs long is everything around it
    // (here: the send resolves 3 s in, past the 2.1 s lease), as a stalled database makes the
    // grouped result write wait. The lease is renewed while the attempt runs.
    const sent: string[] = [];
    const stalled: Sender = {
      timeoutMs: 100,
      close: async () => {},
      async send(input) {
        sent.push(String(input.headers["webhook-id"]));
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        return {
          url: input.url,
          requestHeaders: {},
          status: 200,
          responseHeaders: {},
          responseBody: "",
          durationMs: 3_000,
          error: null,
          failure: null,
        };
      },
    };
    await createTestHook({ url: "https://example.invalid/hook" });
    await emit(ctx, { event: "User.Created", data: {} });
    const [a, b] = [worker({ sender: stalled, leaseMs: 500 }), worker({ sender: stalled, leaseMs: 500 })];
    const done = await waitFor(() => db.delivery.findFirst({ where: { status: { not: "pending" } } }), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // a second claim would have sent by now
    expect(sent).toHaveLength(1);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, interruptions: 0 });
    expect(log(done.attemptLog).map((entry) => entry.status)).toEqual([200]);
    expect(a.counts().claimed + b.counts().claimed).toBe(1);
  });

  it("a graceful stop cancels what does not finish in time and hands it back uncounted", async () => {
    const endpoint = await receiver([{ status: 200, delayMs: 5_000 }, { status: 200 }]);
    await createTestHook({ url: endpoint.url });
    const slow = startWorker({ sender: sender({ timeoutMs: 10_000 }), schedule: FAST, log: () => {} });
    await emit(ctx, { event: "User.Created", data: {} });
    await endpoint.waitForRequests(1);
    await slow.stop({ graceMs: 50 });
    const released = await db.delivery.findFirstOrThrow();
    expect(released).toMatchObject({ status: "pending", attempts: 0 });
    expect(await db.deliveryQueue.findFirstOrThrow()).toMatchObject({ attempts: 0, leaseOwner: null });
    expect(slow.counts().released).toBe(1);

    worker();
    const done = await waitFor(() => db.delivery.findFirst({ where: { status: "succeeded" } }));
    expect(done.attempts).toBe(1);
  });

  it("a worker process killed mid-flight: the delivery completes once its lease expires", async () => {
    const endpoint = await receiver((_request, index) => (index === 0 ? { hang: true } : { status: 200 }));
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: { important: true } });

    // node itself, not tsx's CLI (which would fork a grandchild that survives the kill).
    const child = spawn(process.execPath, entryArgs("scripts/worker.ts"), {
      env: {
        ...process.env,
        DATABASE_URL: ctx.databaseUrl,
        ALLOW_LOCAL_ENDPOINTS: "true",
        DELIVERY_TIMEOUT_MS: "1000",
        DELIVERY_LEASE_MS: "3000",
      },
      stdio: "ignore",
    });
    children.push(child);
    await endpoint.waitForRequests(1, 25_000);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    expect(await db.delivery.findFirstOrThrow()).toMatchObject({ status: "pending" });
    // The claim counted the attempt in the queue entry, which the dead worker still leases.
    const orphan = await db.deliveryQueue.findFirstOrThrow();
    expect(orphan).toMatchObject({ attempts: 1 });
    expect(orphan.leaseOwner).not.toBeNull();

    const started = Date.now();
    worker({ idlePollMs: 60_000 });
    const done = await waitFor(() => db.delivery.findFirst({ where: { status: "succeeded" } }), 15_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(done.attempts).toBe(2);
    expect(log(done.attemptLog).map((entry) => [entry.status, entry.error?.split(":")[0] ?? null])).toEqual([
      [null, "Interrupted"],
      [200, null],
    ]);
    expect(endpoint.requests).toHaveLength(2);
    const [original, retried] = [at(endpoint.requests, 0), at(endpoint.requests, 1)];
    expect(retried.body).toBe(original.body);
    expect(retried.headers["webhook-id"]).toBe(original.headers["webhook-id"]);
  }, 60_000);

  it("a lease lost twice in a row leaves one log entry per counted attempt", async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    // Two claims whose workers died before recording anything (found by the fault suite).
    await db.deliveryQueue.updateMany({
      data: {
        attempts: 2,
        interruptions: 1,
        leaseOwner: "dead/2/x",
        leaseUntil: new Date(Date.now() - 1_000),
        nextAttemptAt: new Date(Date.now() - 1_000),
      },
    });
    worker();
    const done = await waitFor(() => db.delivery.findFirst({ where: { status: "succeeded" } }));
    expect(done).toMatchObject({ attempts: 3, interruptions: 2 });
    expect(log(done.attemptLog).map((entry) => entry.error?.split(":")[0] ?? entry.status)).toEqual(["Interrupted", "Interrupted", 200]);
  });

  /** The row as if `lost` workers in a row died holding it (the last one's attempt not yet logged). */
  async function interruptedRow(lost: number) {
    const at = new Date(Date.now() - 1_000);
    const logged = Array.from({ length: lost - 1 }, () => ({
      at: at.toISOString(),
      status: null,
      durationMs: null,
      error: "Interrupted: earlier",
    }));
    await db.delivery.updateMany({ data: { attempts: lost - 1, interruptions: lost - 1, attemptLog: logged } });
    // The live counters and the lease are the queue entry's.
    await db.deliveryQueue.updateMany({
      data: { attempts: lost, interruptions: lost - 1, leaseOwner: "dead/1/x", leaseUntil: at, nextAttemptAt: at },
    });
  }

  it("attempts cut short by crashed workers are not charged to the receiver's retry budget", async () => {
    // Found by the fault suite: under repeated SIGKILLs a row lost 4 leases in a row and failed
    // without ever reaching its healthy receiver.
    const endpoint = await receiver([{ status: 500 }, { status: 503 }, { status: 500 }, { status: 200 }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    await interruptedRow(4);
    worker();
    const done = await waitFor(() => db.delivery.findFirst({ where: { status: { not: "pending" } } }));
    expect(done).toMatchObject({ status: "succeeded", attempts: 8, interruptions: 4 });
    expect(log(done.attemptLog).map((entry) => entry.status ?? entry.error?.split(":")[0])).toEqual([
      "Interrupted",
      "Interrupted",
      "Interrupted",
      "Interrupted",
      500,
      503,
      500,
      200,
    ]);
    expect(endpoint.requests).toHaveLength(4);
  });

  it(`a row interrupted more than ${MAX_INTERRUPTIONS} times fails without being sent again`, async () => {
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    await interruptedRow(MAX_INTERRUPTIONS + 1);
    worker();
    const done = await waitFor(() => db.delivery.findFirst({ where: { status: { not: "pending" } } }));
    expect(done).toMatchObject({ status: "failed", attempts: MAX_INTERRUPTIONS + 1, interruptions: MAX_INTERRUPTIONS + 1 });
    expect(done.error).toBe(`Interrupted ${MAX_INTERRUPTIONS + 1} times: every worker sending it stopped before it finished.`);
    expect(log(done.attemptLog)).toHaveLength(MAX_INTERRUPTIONS + 1);
    expect(endpoint.requests).toHaveLength(0);
  });

  it("a row handed back at shutdown keeps the log entry of the interrupted attempt it found", async () => {
    const endpoint = await receiver([{ status: 200, delayMs: 5_000 }]);
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    await interruptedRow(1);
    const slow = startWorker({ sender: sender({ timeoutMs: 10_000 }), schedule: FAST, log: () => {} });
    await endpoint.waitForRequests(1);
    await slow.stop({ graceMs: 50 });
    const released = await db.delivery.findFirstOrThrow();
    expect(released).toMatchObject({ status: "pending", attempts: 1, interruptions: 1 });
    expect(await db.deliveryQueue.findFirstOrThrow()).toMatchObject({ leaseOwner: null });
    expect(log(released.attemptLog).map((entry) => entry.error?.split(":")[0])).toEqual(["Interrupted"]);
  });
});

describe("GET/POST /api/cron/deliver", () => {
  afterEach(() => {
    configure({ CRON_SECRET: undefined });
  });

  it("needs CRON_SECRET, then processes due deliveries for a bounded time", async () => {
    configure({ CRON_SECRET: "cron-secret-for-tests" });
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });

    expect((await call(cronRoute.GET)).status).toBe(401);
    expect((await call(cronRoute.GET, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const res = await call(cronRoute.POST, { method: "POST", headers: { authorization: "Bearer cron-secret-for-tests" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ claimed: 1, succeeded: 1, failed: 0 });
    expect(endpoint.requests).toHaveLength(1);
    expect(await db.delivery.count({ where: { status: "succeeded" } })).toBe(1);
  });

  it("reports the deliveries it made even when housekeeping fails (the next call retries it)", async () => {
    configure({ CRON_SECRET: "cron-secret-for-tests" });
    const endpoint = await receiver();
    await createTestHook({ url: endpoint.url });
    await emit(ctx, { event: "User.Created", data: {} });
    // Any row the rollup would write is refused: its statement fails.
    await pool.query(`ALTER TABLE "DeliveryRollup" ADD CONSTRAINT cron_test_refuse CHECK (false) NOT VALID`);
    try {
      const res = await call(cronRoute.POST, { method: "POST", headers: { authorization: "Bearer cron-secret-for-tests" } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ claimed: 1, succeeded: 1, statsRolledUntil: null });
    } finally {
      await pool.query(`ALTER TABLE "DeliveryRollup" DROP CONSTRAINT cron_test_refuse`);
    }
    const again = await call(cronRoute.POST, { method: "POST", headers: { authorization: "Bearer cron-secret-for-tests" } });
    expect(again.json).toMatchObject({ claimed: 0, statsRolledUntil: expect.any(String) });
    expect(endpoint.requests).toHaveLength(1);
  });
});
