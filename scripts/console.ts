// The run command: database (embedded unless DATABASE_URL), migrations, build when stale, the
// console on http://localhost:3000 (PORT overrides) and the in-process delivery worker.
//   npm start          production build
//   npm run dev        next dev with hot reload
import http from "node:http";
import path from "node:path";
import next from "next";
import { adminExists, seedAdminFromEnv } from "../lib/auth/service";
import { issueSetupToken } from "../lib/auth/setup-token";
import { stopRevocationListener } from "../lib/api-keys/service";
import { createContext, installContext, type AppContext } from "../lib/context";
import { DataDirectoryLockedError } from "../lib/db/embedded";
import { prepareDatabase, type DatabaseHandle } from "../lib/db/bootstrap";
import { markStopping } from "../lib/db/readiness";
import { startInProcessWorker, stopInProcessWorker } from "../lib/delivery/threads";
import { buildIfStale, repoRoot } from "./lib/build";
import { stampClient } from "../lib/http/client";
import { apiRouteMethods } from "../lib/http/route-table";
import { guardRequest } from "../lib/http/security-headers";
import { leanRouter } from "../lib/http/node-adapter";
import { observeRequest, serveMetrics } from "../lib/observability/http";
import { lineLogger, logger } from "../lib/observability/log";
import { handleShutdown } from "./lib/lifecycle";

const root = repoRoot;
const dev = process.argv.includes("--dev");
// Readable lines under `npm run dev`; JSON lines otherwise unless on a terminal (lib/observability/log.ts).
if (dev) process.env.LOG_FORMAT ??= "pretty";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const log = lineLogger("console");
// Offline-first: Next must not try to phone home.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
let database: DatabaseHandle | null = null;
let context: AppContext | null = null;
let stopServer = async () => {};
// Installed first: a signal during start-up stops what has started, the database last.
const shutdown = handleShutdown("console", async () => {
  await stopServer();
  await context?.close();
  await database?.stop();
});

async function main() {
  const started = Date.now();
  if (!dev) buildIfStale(log);
  database = await prepareDatabase({
    log,
    onDatabaseLost: (error) => {
      logger("console").fatal({ err: error }, "the embedded PostgreSQL died and could not be restarted; stopping (exit code 1)");
      void shutdown("database lost", 1);
    },
  });
  // The process's one context (lib/context.ts): Next's route handlers, server actions and pages,
  // the lean ingest path and the in-process worker all serve with it.
  const ctx = installContext(createContext({ databaseUrl: database.url }));
  context = ctx;
  const { config } = ctx;
  if (await seedAdminFromEnv(ctx)) log(`Created the admin ${process.env.ADMIN_EMAIL} from ADMIN_EMAIL/ADMIN_PASSWORD.`);

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
  const routes = apiRouteMethods(path.join(root, "app/api"));
  const server = http.createServer((req, res) => {
    // The client as the socket (or a TRUSTED_PROXIES proxy) says, never as its own headers say.
    const client = stampClient(req);
    observeRequest(req, res, () => {
      // Security headers on every answer; malformed paths and unsupported methods get the envelope.
      if (guardRequest(req, res, client, routes)) return;
      if (!serveMetrics(req, res) && !lean(req, res)) void handle(req, res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${port} is already in use. Set PORT to another port.`) : error),
    );
    server.listen(port, hostname, resolve);
  });
  stopServer = async () => {
    // Readiness answers 503 first; with SHUTDOWN_DRAIN_MS the listener stays open that long, so a
    // load balancer takes this instance out before connections are refused.
    markStopping();
    const drainMs = config.SHUTDOWN_DRAIN_MS;
    if (drainMs > 0) {
      log(`Readiness is 503; serving ${drainMs} ms more before closing (SHUTDOWN_DRAIN_MS).`);
      await sleep(drainMs);
    }
    // Stop accepting; requests under way get a moment to finish before their connections close.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.race([closed, sleep(5_000)]);
    server.closeAllConnections();
    // In-flight deliveries finish (up to the delivery timeout) or are released, never left leased.
    await stopInProcessWorker();
    await stopRevocationListener(); // before the database stops, or it logs the lost connection
    await app.close?.();
  };

  const worker = startInProcessWorker({ context: ctx });
  if (!worker) log("Delivery worker disabled (DELIVERY_WORKER=off): run `npm run worker` or call /api/cron/deliver.");

  const url = `http://localhost:${port}`;
  log(`Webhook Console is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${url}`);
  log(`Database: ${database.dataDir ? `embedded PostgreSQL (data in ${database.dataDir})` : "DATABASE_URL"}`);
  // Serving already: a database blip here must not stop the process as if it had failed to start.
  const hasAdmin = await adminExists(ctx).catch(() => null);
  if (hasAdmin) log(`Sign in at ${url}/sign-in with your admin email and password.`);
  else {
    log(
      hasAdmin === null
        ? `Open ${url}/setup (first run) or ${url}/sign-in.`
        : `First run: open ${url}/setup to create the admin account (or set ADMIN_EMAIL and ADMIN_PASSWORD).`,
    );
    // Only this terminal sees it: setup from another machine must prove it can read it.
    log(`Setup token (asked when /setup is opened from another machine): ${issueSetupToken()}`);
  }
  log(`Next: create an API key at ${url}/api-keys, then send a first event:`);
  log(
    `  curl -X POST ${url}/api/events -H "Authorization: Bearer $KEY" -H "content-type: application/json" -d '{"event":"User.Created","data":{"id":"u1"}}'`,
  );
  log(
    config.ALLOW_LOCAL_ENDPOINTS
      ? "Local endpoints are ALLOWED (ALLOW_LOCAL_ENDPOINTS=true; development only): http:// and localhost/private addresses are accepted."
      : "Local endpoints are not allowed: webhooks need public https:// URLs (ALLOW_LOCAL_ENDPOINTS=true allows localhost for development).",
  );
  log(`Health: ${url}/api/health (live), ${url}/api/health/ready (database and migrations). Stop with Ctrl-C or SIGTERM.`);
}

main().catch((error: unknown) => {
  if (error instanceof DataDirectoryLockedError) logger("console").fatal(error.message);
  else logger("console").fatal({ err: error }, "failed to start");
  void shutdown("failed to start", 1);
});
