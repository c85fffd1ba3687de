// What every delivery fault scenario file shares: its own embedded PostgreSQL (so files run at
// the same time without meeting), the worker processes it starts (SIGKILLed after each scenario),
// cleanups run newest first, and the summary table printed when the file ends. Scenarios that
// mostly wait (the endpoint outage holds its receiver down for 120 s) live in their own file and
// run next to the others instead of after them.
import { afterAll, afterEach, beforeAll } from "vitest";
import { faultContext, installFaultContext } from "./context";
import { createTestHook } from "@/lib/testing/hooks";
import {
  drained,
  formatSummary,
  spawnWorker,
  startFaultDatabase,
  startReceiverProcess,
  type FaultDatabase,
  type SummaryRow,
  type WorkerChild,
} from "./harness";
import type { ReceiverMode } from "./receivers";

export function faultScenarios() {
  const summary: SummaryRow[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = (cleanup: () => Promise<unknown>) => cleanups.push(cleanup);
  const workers: WorkerChild[] = [];
  let current: FaultDatabase | undefined;
  const started = () => {
    if (!current) throw new Error("The fault database is not started (beforeAll).");
    return current;
  };
  // Stable for the scenarios' whole run, while the server behind it is stopped and started.
  const database: Omit<FaultDatabase, "dispose"> = {
    get url() {
      return started().url;
    },
    stop: () => started().stop(),
    start: () => started().start(),
  };

  beforeAll(async () => {
    current = await startFaultDatabase();
    installFaultContext(current.url);
  }, 120_000);

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.kill("SIGKILL")));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });

  afterAll(async () => {
    console.log(`\nFault suite summary\n${formatSummary(summary)}\n`);
    await faultContext().close();
    await current?.dispose();
  });

  function startWorkers(count: number, entry: string, env: Record<string, string>) {
    const spawned = Array.from({ length: count }, () => spawnWorker(entry, env));
    workers.push(...spawned);
    return Promise.all(spawned.map((worker) => worker.started));
  }

  /** SIGTERM: the graceful path (finish or hand back in-flight attempts). */
  async function stopWorkers() {
    await Promise.all(workers.map((worker) => worker.kill("SIGTERM")));
  }

  async function waitForDrain(timeoutMs: number) {
    if (await drained(Date.now() + timeoutMs)) return;
    const outputs = workers.filter((worker) => worker.alive()).map((worker) => `--- worker ${worker.pid}\n${worker.output()}`);
    // What the queue looked like: pending rows per hook (leased or not) and each hook's circuit.
    const state = await faultContext().db.$queryRaw<unknown[]>`
    SELECT d."hookId", count(*)::int AS pending, count(q."leaseOwner")::int AS leased,
           (SELECT row_to_json(h) FROM "HookHealth" h WHERE h."hookId" = d."hookId") AS circuit
      FROM "Delivery" d LEFT JOIN "DeliveryQueue" q ON q.id = d.id WHERE d.status = 'pending' GROUP BY d."hookId"`;
    throw new Error(`Deliveries still pending after ${timeoutMs / 1000} s: ${JSON.stringify(state)}\n${outputs.join("\n")}`);
  }

  /** Receivers in their own process, each with a hook subscribed to User.Created. */
  async function receivers(count: number, mode: ReceiverMode) {
    const endpoints = await startReceiverProcess(count, mode);
    later(() => endpoints.close());
    for (const [n, url] of endpoints.urls.entries()) await createTestHook({ url, name: `faults ${n}` });
    return endpoints;
  }

  return { database, workers, summary, later, startWorkers, stopWorkers, waitForDrain, receivers };
}
