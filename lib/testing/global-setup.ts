// vitest globalSetup: one PostgreSQL server for the run (DATABASE_URL's server when set, else the
// embedded one) and one migrated template database on it. Each vitest worker then gets its own copy
// (lib/testing/worker-database.ts), so files run in parallel without sharing rows,
// NOTIFY channels or advisory locks (all three are per database).
import pg from "pg";
import { startTestServer } from "./database";
import { bundleEntries } from "./entries";

export default async function setup() {
  const server = await startTestServer();
  const templateUrl = await server.createDatabase("template");
  // Workers are forked after this runs and inherit the environment.
  process.env.WC_TEST_TEMPLATE_URL = templateUrl;
  // The worker processes some tests start, bundled once (lib/testing/entries.ts).
  const removeBundles = bundleEntries(["scripts/worker.ts"], `.data/test-entries-unit-${process.pid}`);
  return async () => {
    removeBundles();
    const template = new URL(templateUrl).pathname.slice(1);
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [
        `${template}_w`,
      ]);
      for (const { datname } of rows) {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`).catch(() => {});
      }
    } finally {
      await client.end();
    }
    await server.stop();
  };
}
