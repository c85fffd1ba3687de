// The fault suite (`npm run test:faults`, issue 6): the delivery engine and ingestion under worker
// crashes, a PostgreSQL restart, misbehaving receivers and a database outage, on a private embedded
// PostgreSQL with real worker processes and receivers on 127.0.0.1. Each scenario ends with the
// invariants of DESIGN.md §4 checked row by row; the figures go to a summary table at the end.
// Scenario 1 (SIGKILLed workers) is sigkill.faults.ts, scenario 5 (the endpoint outage, which
// mostly waits) outage.faults.ts: each file has its own PostgreSQL, so npm test can order them.
import { expect, test } from "vitest";
import { at, first } from "@/lib/assert";
import { createApiKey } from "@/lib/api-keys/service";
import { faultContext } from "./context";
import { emitBatch } from "@/lib/events/service";
import { createTestHook } from "@/lib/testing/hooks";
import { resetDatabase } from "@/lib/testing/reset";
import { audit, checkReceipts, FAST_RETRY_WORKER, sleep, startIngestion, WORKER_SCRIPT, workerEnv, type IngestAnswer } from "./harness";
import { CHAOS_TIMEOUT_MS, chaosByKind } from "./receivers";
import { faultScenarios } from "./scenario";

const ENV_API_KEY = process.env.API_KEY ?? "";
const { database, workers, summary, later, startWorkers, stopWorkers, waitForDrain, receivers } = faultScenarios();

test("2. PostgreSQL restarts mid-run: workers and ingestion recover, nothing acknowledged is lost", async () => {
  const started = Date.now();
  await resetDatabase();
  const endpoints = await receivers(2, "ok");
  const { key: storedKey } = await createApiKey(faultContext(), { name: "faults" });
  await startWorkers(3, WORKER_SCRIPT, workerEnv(database.url));
  const ingest = await startIngestion();
  later(() => ingest.close());

  // Producers post events with idempotency keys (mostly one per request, some in batches of 25)
  // and retry on 503, as a client should. Half use a stored API key, so authentication meets the
  // outage too.
  type Accepted = { id: string; queued: number; replayed?: boolean };
  const acked = new Map<string, Accepted>();
  const unexpected: string[] = [];
  let unavailable = 0;
  let replayed = 0;
  let next = 0;
  let producing = true;
  const giveUpAt = Date.now() + 120_000;
  const produce = async (apiKey: string, size: number) => {
    const request = next++;
    const events = Array.from({ length: size }, (_, n) => ({ event: "User.Created", id: `s2-${request}-${n}`, data: { request } }));
    while (Date.now() < giveUpAt) {
      const answer =
        size === 1 ? await ingest.post("/api/events", first(events), apiKey) : await ingest.post("/api/events/batch", { events }, apiKey);
      if (answer.status === 202) {
        const results =
          size === 1 ? [{ ...(answer.json as Accepted), replayed: answer.replayed }] : (answer.json as { events: Accepted[] }).events;
        results.forEach((result, n) => acked.set(at(events, n).id, result));
        replayed += results.filter((result) => result.replayed).length;
        return;
      }
      if (answer.status === 503 && answer.retryAfter) unavailable++;
      else unexpected.push(`${answer.status} ${JSON.stringify(answer.json)}`);
      await sleep(200);
    }
  };
  // Warm-up: a delivered event means workers and ingestion are past their (slow) first requests.
  await produce(ENV_API_KEY, 1);
  await waitForDrain(60_000);
  const producers = Array.from({ length: 16 }, async (_, n) => {
    while (producing) await produce(n % 2 === 0 ? ENV_API_KEY : storedKey, n % 4 === 3 ? 25 : 1);
  });

  await sleep(5_000);
  await database.stop();
  await sleep(3_000);
  await database.start();
  const upAt = new Date();
  await sleep(5_000);
  producing = false;
  await Promise.all(producers);
  await waitForDrain(90_000);
  const survivors = workers.filter((worker) => worker.alive()).length;
  const [firstAfter] = await faultContext().db.$queryRaw<{ ms: number | null }[]>`
    SELECT (extract(epoch FROM min("completedAt") - ${upAt}::timestamptz) * 1000)::float8 AS ms
    FROM "Delivery" WHERE "completedAt" >= ${upAt}::timestamptz`;
  await stopWorkers();

  const figures = await audit();
  const tallies = await endpoints.report();
  const receipts = checkReceipts(figures.rows, tallies);
  const ackedIds = new Set([...acked.values()].map((answer) => answer.id));
  const expected = [...acked.values()].reduce((sum, answer) => sum + answer.queued, 0);
  const delivered = figures.rows.filter((row) => ackedIds.has(row.eventId) && row.status === "succeeded").length;
  summary.push({
    scenario: "2. PostgreSQL restart",
    events: acked.size,
    deliveries: figures.deliveries,
    lost: expected - delivered,
    duplicates: receipts.duplicates,
    durationMs: Date.now() - started,
    notes:
      `${unavailable} × 503 during the outage, ${replayed} stored-then-503 replays, ` +
      `${receipts.afterLostLease} duplicates after a lost lease, ${receipts.duplicates - receipts.afterLostLease} after a timeout, ` +
      `first delivery ${Math.round(firstAfter?.ms ?? -1)} ms after restart, ${survivors}/3 workers alive`,
  });

  expect(unexpected, "answers other than 202 or 503 with Retry-After").toEqual([]);
  expect(unavailable, "the outage was seen by ingestion").toBeGreaterThan(0);
  expect(survivors, "workers survive the restart").toBe(3);
  expect(expected).toBe(acked.size * 2);
  expect(delivered).toBe(expected);
  expect(figures.events).toBe(acked.size);
  expect(figures.pending).toBe(0);
  expect(figures.duplicateRows).toBe(0);
  expect(figures.inconsistentEvents).toBe(0);
  expect(figures.logMismatch.slice(0, 5)).toEqual([]);
  expect(receipts.unseen).toEqual([]);
  expect(receipts.strangers).toBe(0);
  expect(receipts.unexplained.slice(0, 5)).toEqual([]);
}, 240_000);

test("3. Receiver chaos: every delivery ends within the retry budget, one row each", async () => {
  const started = Date.now();
  await resetDatabase();
  const endpoints = await receivers(2, "chaos");
  await startWorkers(
    2,
    FAST_RETRY_WORKER,
    workerEnv(database.url, { DELIVERY_TIMEOUT_MS: String(CHAOS_TIMEOUT_MS), FAULTS_RETRY_DELAYS_MS: "200,400,800" }),
  );
  const EVENTS = 1_000;
  for (let sent = 0; sent < EVENTS; sent += 500) {
    await emitBatch(
      faultContext(),
      Array.from({ length: 500 }, (_, n) => ({ event: "User.Created", data: { n: sent + n } })),
    );
  }
  await waitForDrain(120_000);
  await stopWorkers();

  const figures = await audit();
  const tallies = await endpoints.report();
  const receipts = checkReceipts(figures.rows, tallies);
  // Replays each row's answers against its log: what was answered is what was recorded, and the
  // last answer decides the outcome (a retryable one only after the fourth attempt). One
  // deviation is legitimate: an answer that reached the sender after its timeout (a loaded
  // machine delays it) is recorded as a timeout and retried.
  const mismatches: string[] = [];
  const answered = new Map<string, number>();
  let late = 0;
  for (const row of figures.rows) {
    const kinds = tallies.flatMap((tally) => tally.answers.get(row.id) ?? []);
    kinds.forEach((kind) => answered.set(kind, (answered.get(kind) ?? 0) + 1));
    const detail = `${row.id}: ${row.status} after ${row.attempts} (log ${JSON.stringify(row.logErrors)}; answers ${kinds.join(", ")})`;
    if (kinds.length !== row.attempts) {
      mismatches.push(`answered ${kinds.length} times, ${detail}`);
      continue;
    }
    const outcomes = kinds.map((kind, n) => {
      const item = chaosByKind.get(kind);
      if (item && item.status === row.logStatuses[n]) return item.final;
      if (row.logStatuses[n] === null && row.logErrors[n]?.startsWith("Timed out")) {
        late++;
        return "retry";
      }
      return "mismatch";
    });
    const last = outcomes.at(-1);
    if (outcomes.includes("mismatch")) mismatches.push(`log differs, ${detail}`);
    else if (outcomes.slice(0, -1).some((outcome) => outcome !== "retry")) mismatches.push(`retried a final answer, ${detail}`);
    else if (last === "retry" ? row.status !== "failed" || row.attempts !== 4 : row.status !== last) {
      mismatches.push(`wrong outcome, ${detail}`);
    }
  }
  const spread = [...answered].map(([kind, count]) => `${kind} ${count}`).join(", ");
  summary.push({
    scenario: "3. Receiver chaos",
    events: figures.events,
    deliveries: figures.deliveries,
    lost: figures.pending,
    duplicates: receipts.duplicates,
    durationMs: Date.now() - started,
    notes: `${figures.succeeded} succeeded, ${figures.failed} failed, ${late} answers too late; answers: ${spread}`,
  });

  expect(figures.deliveries).toBe(EVENTS * 2);
  expect(figures.pending).toBe(0);
  expect(figures.duplicateRows).toBe(0);
  expect(figures.inconsistentEvents).toBe(0);
  expect(figures.overBudget).toBe(0);
  expect(figures.logMismatch.slice(0, 5)).toEqual([]);
  expect(mismatches.slice(0, 10)).toEqual([]);
  expect(receipts.strangers).toBe(0);
  expect(receipts.unexplained.slice(0, 10)).toEqual([]);
}, 240_000);

test("4. Database outage: ingestion answers 503 and leaves nothing half-written", async () => {
  const started = Date.now();
  await resetDatabase();
  // Three hooks: a half-written event would show as an Event whose rows fall short of `queued`.
  for (let n = 0; n < 3; n++) await createTestHook({ url: `http://127.0.0.1:9/hook-${n}`, name: `outage ${n}` });
  const { key: storedKey } = await createApiKey(faultContext(), { name: "faults" });
  const ingest = await startIngestion();
  later(() => ingest.close());

  type Sent = { route: string; keys: string[]; answer: IngestAnswer };
  const sent: Sent[] = [];
  let sequence = 0;
  let loading = true;
  const post = async (route: "/api/events" | "/api/events/batch", size: number, apiKey: string) => {
    const request = sequence++;
    const keys = Array.from({ length: size }, (_, n) => `s4-${request}-${n}`);
    const events = keys.map((key) => ({ event: "User.Created", id: key, data: { key } }));
    const answer = await ingest.post(route, route === "/api/events" ? events[0] : { events }, apiKey);
    sent.push({ route, keys, answer });
    return answer;
  };
  // Warm (the first requests of a process are slow), then batches of 500 events (1,500 delivery
  // rows per statement) and single events, under way while PostgreSQL is stopped underneath them.
  await post("/api/events/batch", 500, ENV_API_KEY);
  await post("/api/events", 1, storedKey);
  const load = [
    ...Array.from({ length: 3 }, async () => {
      while (loading) await post("/api/events/batch", 500, ENV_API_KEY);
    }),
    ...Array.from({ length: 4 }, async (_, n) => {
      while (loading) await post("/api/events", 1, n % 2 === 0 ? ENV_API_KEY : storedKey);
    }),
  ];
  await sleep(2_000);
  await database.stop();
  await sleep(1_500);
  loading = false;
  await Promise.all(load);

  // While it is down, every kind of ingestion request answers 503 with Retry-After.
  const probes = [
    await post("/api/events", 1, ENV_API_KEY),
    await post("/api/events", 1, storedKey),
    await post("/api/events/batch", 20, ENV_API_KEY),
  ];

  await database.start();
  let refusedAfterRestart = 0;
  const recoverBy = Date.now() + 15_000;
  while ((await post("/api/events", 1, storedKey)).status !== 202 && Date.now() < recoverBy) {
    refusedAfterRestart++;
    await sleep(200);
  }

  const stored = new Map(
    (await faultContext().db.event.findMany({ select: { idempotencyKey: true, queued: true } })).map((event) => [
      event.idempotencyKey,
      event.queued,
    ]),
  );
  const figures = await audit();
  const statuses = new Map<number, number>();
  let lost = 0;
  let partial = 0;
  let storedDespite503 = 0;
  let storedDespite503Events = 0;
  for (const { keys, answer } of sent) {
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    const present = keys.filter((key) => stored.has(key)).length;
    if (answer.status === 202) lost += keys.length - present;
    if (present !== 0 && present !== keys.length) partial++;
    // A commit whose acknowledgement died with the connection: stored, complete, answered 503.
    if (answer.status === 503 && present === keys.length) {
      storedDespite503++;
      storedDespite503Events += present;
    }
  }
  const acked = sent.filter((item) => item.answer.status === 202).reduce((sum, item) => sum + item.keys.length, 0);
  summary.push({
    scenario: "4. Database outage",
    events: acked,
    deliveries: figures.deliveries,
    lost,
    duplicates: figures.duplicateRows,
    durationMs: Date.now() - started,
    notes:
      `answers ${[...statuses].map(([status, count]) => `${status}×${count}`).join(", ")}; ` +
      `${storedDespite503} stored-then-503, ${refusedAfterRestart} refused after restart`,
  });

  expect([...statuses.keys()].filter((status) => status !== 202 && status !== 503)).toEqual([]);
  expect(statuses.get(503) ?? 0, "requests answered 503").toBeGreaterThan(probes.length);
  for (const probe of probes) {
    expect(probe.status).toBe(503);
    expect(probe.retryAfter).toBe("5");
    expect(probe.json).toMatchObject({ code: "service_unavailable" });
  }
  expect(sent.filter((item) => item.answer.status === 503).every((item) => item.answer.retryAfter !== null)).toBe(true);
  expect(refusedAfterRestart, "ingestion recovers on its own").toBeLessThan(75);
  expect(lost).toBe(0);
  expect(partial, "requests stored in part").toBe(0);
  expect(figures.inconsistentEvents).toBe(0);
  expect(figures.duplicateRows).toBe(0);
  expect([...stored.values()].every((queued) => queued === 3)).toBe(true);
  expect(figures.events).toBe(acked + storedDespite503Events);
}, 180_000);
