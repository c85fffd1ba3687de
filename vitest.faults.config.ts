// `npm run test:faults`: the fault suite (lib/faults/*.faults.ts), kept out of the normal vitest
// run because it takes minutes and stops and starts its own PostgreSQL. Files run at the same time,
// each on its own embedded server (lib/faults/scenario.ts): most of their time is waiting.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/faults/**/*.faults.ts"],
    environment: "node",
    // Builds the child processes' bundles (lib/testing/entries.ts).
    globalSetup: ["lib/faults/global-setup.ts"],
    pool: "forks",
    maxWorkers: 4,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    env: {
      ALLOW_LOCAL_ENDPOINTS: "true",
      NODE_ENV: "test",
      WC_CHECK_SQL_ROWS: "1",
      // An admin key that authenticates without the database, so an outage reaches ingestion itself.
      API_KEY: "faults-suite-environment-key",
    },
  },
});
