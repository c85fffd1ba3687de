// A fresh, migrated PostgreSQL database for a test run: on DATABASE_URL's server when set,
// otherwise on an embedded server whose data lives in .data/test.
import path from "node:path";
import { rmSync } from "node:fs";
import { DataDirectoryLockedError, startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations, dropDatabase, ensureDatabase } from "@/lib/db/migrate";

export type TestServer = {
  adminUrl: string;
  /** The embedded server's data directory (its postmaster.pid names the server); null on DATABASE_URL. */
  dataDir: string | null;
  createDatabase(label: string): Promise<string>;
  stop(): Promise<void>;
};

export type EmbeddedChoice = { baseDir: string; preferredPort: number };

const SHARED_TEST_SERVER: EmbeddedChoice = { baseDir: ".data/test", preferredPort: 54339 };

/** `shared` is reused across runs; a concurrent run gets a private server, removed afterwards. */
async function startSharedOrPrivate(shared: EmbeddedChoice) {
  try {
    const baseDir = path.resolve(shared.baseDir);
    return { ...(await startEmbeddedPostgres({ baseDir, preferredPort: shared.preferredPort })), dataDir: path.join(baseDir, "pg") };
  } catch (error) {
    if (!(error instanceof DataDirectoryLockedError)) throw error;
    const baseDir = path.resolve(`.data/test-run-${process.pid}`);
    const server = await startEmbeddedPostgres({ baseDir, preferredPort: 54340 + (process.pid % 500) });
    return {
      ...server,
      dataDir: path.join(baseDir, "pg"),
      async stop() {
        await server.stop();
        rmSync(baseDir, { recursive: true, force: true });
      },
    };
  }
}

/** `embedded` picks the data directory used without a base URL (the benchmark keeps its own). */
export async function startTestServer(baseUrl = process.env.DATABASE_URL, embedded = SHARED_TEST_SERVER): Promise<TestServer> {
  const created: string[] = [];
  let adminUrl: string;
  let dataDir: string | null = null;
  let stopServer = async () => {};
  if (baseUrl) {
    const url = new URL(baseUrl);
    url.pathname = "/postgres";
    adminUrl = url.toString();
  } else {
    const server = await startSharedOrPrivate(embedded);
    adminUrl = server.adminUrl;
    dataDir = server.dataDir;
    stopServer = server.stop;
  }
  return {
    adminUrl,
    dataDir,
    async createDatabase(label) {
      const name = `wc_test_${label}_${Date.now().toString(36)}_${process.pid}`;
      await ensureDatabase(adminUrl, name);
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      await applyMigrations(url.toString());
      return url.toString();
    },
    async stop() {
      for (const name of created) await dropDatabase(adminUrl, name).catch(() => {});
      await stopServer();
    },
  };
}
