// The run command: database (embedded unless DATABASE_URL), migrations, build when stale, the
// console on http://localhost:3000 (PORT overrides) and the in-process delivery worker.
//   npm start          production build
//   npm run dev        next dev with hot reload
import http from "node:http";
import next from "next";
import { DataDirectoryLockedError } from "../lib/db/embedded";
import { prepareDatabase } from "../lib/db/bootstrap";
import { buildIfStale, repoRoot } from "./lib/build";
import { stampClient } from "../lib/http/client";
import { leanRouter } from "../lib/http/node-adapter";
import { observeRequest } from "../lib/observability/http";
import { flushRepeatedLogs, lineLogger, logger } from "../lib/observability/log";

const root = repoRoot;
const dev = process.argv.includes("--dev");
// Readable lines under `npm run dev`; JSON lines otherwise unless on a terminal (lib/observability/log.ts).
if (dev) process.env.LOG_FORMAT ??= "pretty";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const log = lineLogger("console");
// Offline-first: Next must not try to phone home.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

async function main() {
  const started = Date.now();
  if (!dev) buildIfStale(log);
  const database = await prepareDatabase({ log });
  // Imported after DATABASE_URL is known: these modules open the database on first use.
  const { adminExists, seedAdminFromEnv } = await import("../lib/auth/service");
  const { startInProcessWorker, stopInProcessWorker } = await import("../lib/delivery/worker");
  const { stopRevocationListener } = await import("../lib/api-keys/service");
  if (await seedAdminFromEnv()) log(`Created the admin ${process.env.ADMIN_EMAIL} from ADMIN_EMAIL/ADMIN_PASSWORD.`);

  const app = next({ dev, dir: root, hostname: "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Event ingestion is the hot path: the same route handlers, served before Next's router.
  const events = await import("../app/api/events/route");
  const eventsBatch = await import("../app/api/events/batch/route");
  const lean = leanRouter(
    { "/api/events": { POST: events.POST }, "/api/events/batch": { POST: eventsBatch.POST } },
    `http://localhost:${port}`,
  );
  const server = http.createServer((req, res) => {
    // The client as the socket (or a TRUSTED_PROXIES proxy) says, never as its own headers say.
    stampClient(req);
    observeRequest(req, res, () => {
      if (!lean(req, res)) void handle(req, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${port} is already in use. Set PORT to another port.`) : error),
    );
    server.listen(port, hostname, resolve);
  });

  const worker = startInProcessWorker();
  if (!worker) log("Delivery worker disabled (DELIVERY_WORKER=off): run `npm run worker` or call /api/cron/deliver.");

  const url = `http://localhost:${port}`;
  log(`Webhook Console is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${url}`);
  log(`Database: ${database.dataDir ? `embedded PostgreSQL (data in ${database.dataDir})` : "DATABASE_URL"}`);
  if (await adminExists()) log(`Sign in at ${url}/sign-in with your admin email and password.`);
  else log(`First run: open ${url}/setup to create the admin account (or set ADMIN_EMAIL and ADMIN_PASSWORD).`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down…`);
    server.close();
    server.closeAllConnections();
    await stopInProcessWorker();
    await stopRevocationListener(); // before the database stops, or it logs the lost connection
    await app.close?.();
    await database.stop();
    flushRepeatedLogs();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof DataDirectoryLockedError) logger("console").fatal(error.message);
  else logger("console").fatal({ err: error }, "failed to start");
  process.exit(1);
});
