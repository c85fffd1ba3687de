// vitest setupFiles: runs in each test file's own process before the file is imported, and installs
// a service context (lib/context.ts) on the database of the vitest worker running it: one per worker (VITEST_POOL_ID),
// copied from the run's migrated template on first use (CREATE DATABASE … TEMPLATE copies files,
// far faster than migrating). A worker runs its files one after another on its database, as the
// whole suite did on one database before; files reset what they need (lib/testing/reset.ts).
// Not one database per file: each DROP DATABASE forces a checkpoint (~2.5 s here).
import pg from "pg";
import { createContext, hasContext, installContext } from "@/lib/context";

const templateUrl = process.env.WC_TEST_TEMPLATE_URL;
if (!templateUrl) throw new Error("WC_TEST_TEMPLATE_URL is not set: run the tests through vitest (lib/testing/global-setup.ts).");

const url = new URL(templateUrl);
const template = url.pathname.slice(1);
const name = `${template}_w${process.env.VITEST_POOL_ID ?? "0"}`;
const admin = new URL(templateUrl);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
try {
  // A pool id belongs to one worker at a time, so no two files create the same database at once.
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (!rowCount) {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`);
    // A commit waits ~6 ms for its WAL flush on this machine's disk, and tests commit thousands of
    // times. A throwaway database needs no durability across a server crash (the fault suite, which
    // tests exactly that, has its own server and keeps the default).
    await client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} SET synchronous_commit = off`);
  }
} finally {
  await client.end();
}
url.pathname = `/${name}`;

// The file's service context (lib/testing/context.ts reads it). The context lives on globalThis
// (lib/context.ts): a process reused from another file would still talk to that file's database.
if (hasContext()) throw new Error("A service context outlived its test file: vitest must run each file in a fresh process (isolate).");
installContext(createContext({ databaseUrl: url.toString() }));
