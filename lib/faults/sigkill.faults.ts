// The fault suite's scenario 1 (see delivery.faults.ts for 2-4): workers SIGKILLed at random while
// 20,000 deliveries drain, on its own embedded PostgreSQL. It is apart because the drain races a
// deadline and needs the CPU: npm test runs it before 2-4, with nothing CPU-heavy beside them.
import { expect, test } from "vitest";
import { at } from "@/lib/assert";
import { emitBatch } from "@/lib/events/service";
import { resetDatabase } from "@/lib/testing/reset";
import { audit, checkReceipts, leasedBy, sleep, spawnWorker, WORKER_SCRIPT, workerEnv } from "./harness";
import { faultScenarios } from "./scenario";
import { faultContext } from "./context";

const { database, workers, summary, startWorkers, stopWorkers, waitForDrain, receivers } = faultScenarios();

test("1. SIGKILL workers at random during 20,000 deliveries", async () => {
  const started = Date.now();
  await resetDatabase();
  const endpoints = await receivers(2, "ok");
  const env = workerEnv(database.url);
  await startWorkers(3, WORKER_SCRIPT, env);

  const EVENTS = 10_000;
  const BATCH = 500;
  const ingestion = (async () => {
    for (let sent = 0; sent < EVENTS; sent += BATCH) {
      await emitBatch(
        faultContext(),
        Array.from({ length: BATCH }, (_, n) => ({ event: "User.Created", data: { n: sent + n } })),
      );
      await sleep(100);
    }
  })();

  // Every 1-2 s one running worker is SIGKILLed and a replacement starts; at least two stay up
  // so the run always progresses. After each kill, the leases the dead worker still held are
  // counted: those are the only rows that may reach a receiver twice.
  const orphans: number[] = [];
  let chaos = true;
  const killer = (async () => {
    while (chaos) {
      await sleep(1_000 + Math.random() * 1_000);
      const running = workers.filter((worker) => worker.alive() && worker.isStarted());
      if (!chaos || running.length < 2) continue;
      const victim = at(running, Math.floor(Math.random() * running.length));
      await victim.kill("SIGKILL");
      orphans.push(await leasedBy(victim.pid));
      workers.push(spawnWorker(WORKER_SCRIPT, env));
    }
  })();

  await ingestion;
  try {
    await waitForDrain(150_000);
  } finally {
    chaos = false;
    await killer;
  }
  await stopWorkers();

  const figures = await audit();
  const tallies = await endpoints.report();
  const receipts = checkReceipts(figures.rows, tallies);
  const orphaned = orphans.reduce((sum, count) => sum + count, 0);
  const interrupted = figures.rows.filter((row) => row.interrupted).length;
  const mostInterruptions = Math.max(
    0,
    ...figures.rows.map((row) => row.logErrors.filter((error) => error?.startsWith("Interrupted")).length),
  );
  summary.push({
    scenario: "1. SIGKILL workers",
    events: figures.events,
    deliveries: figures.deliveries,
    lost: EVENTS * 2 - figures.succeeded,
    duplicates: receipts.duplicates,
    durationMs: Date.now() - started,
    notes:
      `${orphans.length} kills, ${orphaned} leases orphaned, ${interrupted} rows re-claimed (at most ${mostInterruptions} times one), ` +
      `${receipts.afterLostLease} duplicates after a lost lease, ${receipts.duplicates - receipts.afterLostLease} after a timeout`,
  });

  expect(orphans.length, "kills").toBeGreaterThanOrEqual(3);
  expect(figures.events).toBe(EVENTS);
  expect(figures.deliveries).toBe(EVENTS * 2);
  expect(figures.duplicateRows).toBe(0);
  expect(figures.inconsistentEvents).toBe(0);
  const unsucceeded = figures.rows.filter((row) => row.status !== "succeeded");
  expect(
    unsucceeded
      .slice(0, 3)
      .map((row) => `${row.status}, ${row.attempts} attempt(s): ${JSON.stringify(row.logErrors)} ${JSON.stringify(row.logStatuses)}`),
  ).toEqual([]);
  expect(figures.succeeded).toBe(EVENTS * 2);
  expect(figures.logMismatch.slice(0, 5)).toEqual([]);
  expect(figures.overBudget).toBe(0);
  expect(receipts.unseen).toEqual([]);
  expect(receipts.strangers).toBe(0);
  expect(receipts.unexplained.slice(0, 5)).toEqual([]);
  expect(receipts.afterLostLease).toBeLessThanOrEqual(orphaned);
}, 240_000);
