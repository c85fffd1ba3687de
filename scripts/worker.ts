// `npm run worker`: a standalone delivery worker. Run any number of them, on any machines, against
// the same DATABASE_URL; they share the queue safely (FOR UPDATE SKIP LOCKED + leases).
// SIGINT/SIGTERM stop claiming, let in-flight attempts finish (up to the request timeout) and
// hand back whatever is left, so nothing waits for a lease to expire.
import { DataDirectoryLockedError } from "../lib/db/embedded";
import { prepareDatabase } from "../lib/db/bootstrap";
import { flushRepeatedLogs, lineLogger, logger } from "../lib/observability/log";

const log = lineLogger("worker");

async function main() {
  const database = await prepareDatabase({ log });
  // Imported after DATABASE_URL is known: these modules open the database on first use.
  const { startWorker } = await import("../lib/delivery/worker");
  const { config } = await import("../lib/config");
  const worker = startWorker({ log });
  const { DELIVERY_CONCURRENCY, DELIVERY_TIMEOUT_MS } = config();
  log(`Started ${worker.owner}: concurrency ${DELIVERY_CONCURRENCY}, timeout ${DELIVERY_TIMEOUT_MS} ms.`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing in-flight deliveries…`);
    await worker.stop();
    const counts = worker.counts();
    log(`Stopped after ${counts.claimed} attempt(s): ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.pending} to retry.`);
    await database.stop();
    flushRepeatedLogs();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof DataDirectoryLockedError) {
    logger("worker").fatal(`${error.message} To run workers next to the console, give both the same DATABASE_URL.`);
  } else {
    logger("worker").fatal({ err: error }, "failed to start");
  }
  process.exit(1);
});
