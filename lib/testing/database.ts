// A fresh, migrated PostgreSQL database for a test run: on DATABASE_URL's server when set,
// otherwise on an embedded server whose data lives in .data/test.
import path from "node:path";
import { rmSync } from "node:fs";
import { DataDirectoryLockedError, startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations, dropDatabase, ensureDatabase } from "@/lib/db/migrate";

export type TestServer = {
  adminUrl: string;
  createDatabase(label: string): Promise<string>;
  stop(): Promise<void>;
};

/** .data/test is reused across runs; a concurrent run gets a private server, removed afterwards. */
async function startSharedOrPrivate() {
  try {
    return await startEmbeddedPostgres({ baseDir: path.resolve(".data/test"), preferredPort: 54339 });
  } catch (error) {
    if (!(error instanceof DataDirectoryLockedError)) throw error;
    const baseDir = path.resolve(`.data/test-run-${process.pid}`);
    const server = await startEmbeddedPostgres({ baseDir, preferredPort: 54340 + (process.pid % 500) });
    return {
      ...server,
      async stop() {
        await server.stop();
        rmSync(baseDir, { recursive: true, force: true });
      },
    };
  }
}

export async function startTestServer(baseUrl = process.env.DATABASE_URL): Promise<TestServer> {
  const created: string[] = [];
  let adminUrl: string;
  let stopServer = async () => {};
  if (baseUrl) {
    const url = new URL(baseUrl);
    url.pathname = "/postgres";
    adminUrl = url.toString();
  } else {
    const embedded = await startSharedOrPrivate();
    adminUrl = embedded.adminUrl;
    stopServer = embedded.stop;
  }
  return {
    adminUrl,
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
