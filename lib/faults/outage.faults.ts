// The fault suite's scenario 5 (see delivery.faults.ts for 1-4): an endpoint refused for 120 s
// while events flow, on its own embedded PostgreSQL. It is apart because it mostly waits: the
// suite runs it next to the other scenarios rather than after them.
import { expect, test } from "vitest";
import { first } from "@/lib/assert";
import { faultContext } from "./context";
import { emit } from "@/lib/events/service";
import { createTestHook } from "@/lib/testing/hooks";
import { resetDatabase } from "@/lib/testing/reset";
import { audit, checkReceipts, sleep, startGate, startReceiverProcess, WORKER_SCRIPT, workerEnv } from "./harness";
import { faultScenarios } from "./scenario";

const { database, summary, later, startWorkers, stopWorkers, waitForDrain } = faultScenarios();

test("5. Endpoint outage: refused for 120 s while events flow at 10/s, then every event delivered once it is back", async () => {
  const started = Date.now();
  await resetDatabase();
  const endpoints = await startReceiverProcess(1, "ok");
  later(() => endpoints.close());
  const gate = await startGate(first(endpoints.urls));
  later(() => gate.close());
  const hook = await createTestHook({ url: gate.url, name: "outage" });
  // The product's defaults for the breaker (threshold 20, cooldown 5 s doubling up to 60 s).
  await startWorkers(2, WORKER_SCRIPT, workerEnv(database.url));

  await gate.down();
  const OUTAGE_MS = 120_000;
  const RATE = 10;
  const TOTAL = (OUTAGE_MS / 1000) * RATE;
  let sent = 0;
  const downAt = Date.now();
  // All 1,200 events, at most 10/s, while the endpoint is down: when a loaded machine makes the
  // emits slower than that, the outage lasts until the last one is in (rather than fewer events).
  while (sent < TOTAL || Date.now() - downAt < OUTAGE_MS) {
    const due = Math.min(TOTAL, Math.floor(((Date.now() - downAt) / 1000) * RATE));
    while (sent < due) {
      await emit(faultContext(), { event: "User.Created", data: { n: sent } });
      sent++;
    }
    await sleep(50);
  }
  const [during] = await faultContext().db.$queryRaw<{ opened: Date | null; held: number }[]>`
    SELECT h."openedAt" AS opened, (SELECT count(*)::int FROM "Delivery" WHERE status = 'pending') AS held
    FROM "HookHealth" h WHERE h."hookId" = ${hook.id}`;
  const failedDuringOutage = await faultContext().db.delivery.count({ where: { status: "failed" } });
  await gate.up();
  const upAt = Date.now();
  await waitForDrain(120_000);
  const drainedAfterMs = Date.now() - upAt;
  await stopWorkers();

  const figures = await audit();
  const tally = first(await endpoints.report());
  const receipts = checkReceipts(figures.rows, [tally]);
  const attempts = figures.rows.reduce((sum, row) => sum + row.attempts, 0);
  const refused = figures.rows.reduce((sum, row) => sum + row.logStatuses.filter((status) => status === null).length, 0);
  const received = [...tally.receipts.values()].reduce((sum, count) => sum + count, 0);
  summary.push({
    scenario: "5. Endpoint outage",
    events: figures.events,
    deliveries: figures.deliveries,
    lost: figures.deliveries - figures.succeeded,
    duplicates: receipts.duplicates,
    durationMs: Date.now() - started,
    notes:
      `circuit open after ${during?.opened ? Math.round((during.opened.getTime() - downAt) / 1000) : "-"} s, ${during?.held ?? 0} held at the return, ` +
      `all delivered ${(drainedAfterMs / 1000).toFixed(1)} s after it; ${attempts} attempts (${refused} refused, ${received} received)`,
  });

  expect(sent).toBe(TOTAL);
  expect(during?.opened, "the circuit opened during the outage").toBeTruthy();
  expect(failedDuringOutage, "nothing failed for good during the outage").toBe(0);
  expect(drainedAfterMs).toBeLessThan(120_000);
  expect(figures.events).toBe(sent);
  expect(figures.deliveries).toBe(sent);
  expect(figures.succeeded).toBe(sent);
  expect(figures.duplicateRows).toBe(0);
  expect(figures.overBudget).toBe(0);
  expect(figures.logMismatch.slice(0, 5)).toEqual([]);
  // Honest attempts: every attempt is one log entry; the refused ones have no status, the rest reached the receiver.
  expect(attempts - refused).toBe(received);
  expect(receipts.unseen).toEqual([]);
  expect(receipts.strangers).toBe(0);
  expect(receipts.unexplained.slice(0, 5)).toEqual([]);
}, 330_000);
