// `npm run worker`: a standalone delivery worker. Run any number of them, on any machines, against
// the same DATABASE_URL; they share the queue safely (FOR UPDATE SKIP LOCKED + leases).
// SIGINT/SIGTERM (to npm or to node) stop claiming, let in-flight attempts finish (up to the request
// timeout) and hand back whatever is left, so nothing waits for a lease to expire; then exit 0.
import { DataDirectoryLockedError } from "../lib/db/embedded";
import { createContext, installContext, type AppContext } from "../lib/context";
import { prepareDatabase, type DatabaseHandle } from "../lib/db/bootstrap";
import { startProcessWorker } from "../lib/delivery/threads";
import type { WorkerHandle } from "../lib/delivery/worker";
import { lineLogger, logger } from "../lib/observability/log";
import { handleShutdown } from "./lib/lifecycle";

const log = lineLogger("worker");
let database: DatabaseHandle | null = null;
let worker: WorkerHandle | null = null;
let context: AppContext | null = null;

// Installed first: a signal during start-up stops what has started, the database last.
const shutdown = handleShutdown("worker", async () => {
  if (worker) {
    log("finishing in-flight deliveries…");
    await worker.stop();
    const counts = worker.counts();
    log(
      `Stopped after ${counts.claimed} attempt(s): ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.pending} to retry, ${counts.released} released.`,
    );
  }
  await context?.close();
  await database?.stop();
});

async function main() {
  database = await prepareDatabase({
    log,
    onDatabaseLost: (error) => {
      logger("worker").fatal({ err: error }, "the embedded PostgreSQL died and could not be restarted; stopping (exit code 1)");
      void shutdown("database lost", 1);
    },
  });
  const ctx = installContext(createContext({ databaseUrl: database.url }));
  context = ctx;
  worker = startProcessWorker({ log, context: ctx, serving: false });
  // Each worker process exports its own metrics, on METRICS_PORT when set.
  const metricsPort = Number(process.env.METRICS_PORT ?? 0);
  if (metricsPort > 0) {
    const http = await import("node:http");
    const { observeRequest, serveMetrics } = await import("../lib/observability/http");
    const server = http.createServer((req, res) =>
      observeRequest(req, res, () => void (serveMetrics(req, res) || res.writeHead(404).end())),
    );
    server.unref();
    await new Promise<void>((resolve) => server.listen(metricsPort, process.env.HOST ?? "0.0.0.0", resolve));
    log(`Metrics on http://localhost:${metricsPort}/metrics`);
  }
  const { DELIVERY_CONCURRENCY, DELIVERY_TIMEOUT_MS } = ctx.config;
  log(`Started ${worker.owner}: concurrency ${DELIVERY_CONCURRENCY}, timeout ${DELIVERY_TIMEOUT_MS} ms.`);
}

main().catch((error: unknown) => {
  if (error instanceof DataDirectoryLockedError) {
    logger("worker").fatal(`${error.message} To run workers next to the console, give both the same DATABASE_URL.`);
  } else {
    logger("worker").fatal({ err: error }, "failed to start");
  }
  void shutdown("failed to start", 1);
});
