// A worker child for the fault suite's receiver-chaos scenario: the engine `npm run worker` runs,
// with the retry schedule taken from FAULTS_RETRY_DELAYS_MS (e.g. "200,400,800") so four
// attempts fit in seconds. DATABASE_URL and the DELIVERY_* variables are read as usual.
import { createContext, installContext } from "@/lib/context";
import { startWorker } from "@/lib/delivery/worker";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is not set.");
const context = installContext(createContext({ databaseUrl }));

const delaysMs = (process.env.FAULTS_RETRY_DELAYS_MS ?? "200,400,800").split(",").map(Number);
const log = (line: string) => console.log(`[worker] ${line}`);
const worker = startWorker({ schedule: { delaysMs, jitter: 0.2, retryAfterCapMs: 2_000 }, log, context });
log(`Started ${worker.owner}: retries after ${delaysMs.join(", ")} ms.`);

process.on("SIGTERM", () => {
  void worker.stop().then(() => process.exit(0));
});
