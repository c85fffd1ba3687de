// A fresh, migrated PostgreSQL database for a test run: on DATABASE_URL's server when set,
// otherwise on an embedded server whose data lives in .data/test.
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations, dropDatabase, ensureDatabase } from "@/lib/db/migrate";

export type TestServer = {
  adminUrl: string;
  createDatabase(label: string): Promise<string>;
  stop(): Promise<void>;
};

export async function startTestServer(baseUrl = process.env.DATABASE_URL): Promise<TestServer> {
  const created: string[] = [];
  let adminUrl: string;
  let stopServer = async () => {};
  if (baseUrl) {
    const url = new URL(baseUrl);
    url.pathname = "/postgres";
    adminUrl = url.toString();
  } else {
    const embedded = await startEmbeddedPostgres({ baseDir: path.resolve(".data/test"), preferredPort: 54339 });
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
