// One delivery thread (lib/delivery/threads.ts): a worker with its own context, woken by the
// process's main thread when it queues deliveries and by NOTIFY for the rest.
import { parentPort, workerData } from "node:worker_threads";
import { createContext, installContext } from "@/lib/context";
import { lineLogger } from "@/lib/observability/log";
import { deliveryMetrics } from "@/lib/observability/metrics";
import { adoptSecretsKeyFile } from "@/lib/secrets/at-rest";
import { wakeLocalWorkers } from "./queue";
import type { FromThread, ThreadData, ToThread } from "./threads";
import { startWorker } from "./worker";

const port = parentPort;
if (!port) throw new Error("lib/delivery/thread-entry.ts runs as a worker thread (lib/delivery/threads.ts)");
const data = workerData as ThreadData;
const send = (message: FromThread) => port.postMessage(message);

adoptSecretsKeyFile(data.secretsKeyFile);
const context = installContext(createContext({ databaseUrl: data.databaseUrl, config: data.config }));
const worker = startWorker({
  context,
  owner: data.owner,
  concurrency: data.concurrency,
  caps: data.caps,
  retention: data.housekeeping,
  rollups: data.housekeeping,
  processTag: data.mainWakeTag,
  log: lineLogger("worker"),
});
void worker.ready.then(() => send({ type: "ready" }));

port.on("message", (message: ToThread) => {
  if (message.type === "wake") wakeLocalWorkers();
  else if (message.type === "metrics") void deliveryMetrics().then((metrics) => send({ type: "metrics", id: message.id, metrics }));
  else if (message.type === "stop") {
    void (async () => {
      await worker.stop({ graceMs: message.graceMs });
      await context.close();
      send({ type: "stopped", counts: worker.counts() });
      port.close();
    })();
  }
});
