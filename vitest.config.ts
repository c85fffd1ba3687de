import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    globalSetup: ["lib/testing/global-setup.ts"],
    // Each file runs in its own forked process on its own copy of the migrated database, so files
    // run in parallel. Most of a file's time is spent waiting (receivers, timers, PostgreSQL), so
    // more workers than this machine's 2 cores pay off; WC_TEST_WORKERS overrides.
    setupFiles: ["lib/testing/worker-database.ts"],
    pool: "forks",
    isolate: true,
    maxWorkers: Number(process.env.WC_TEST_WORKERS ?? 3),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every raw SQL row is checked against its schema (lib/db/rows.ts).
    // Prisma's interactive transactions: 30 s instead of 5 s before they expire (lib/db/client.ts).
    env: { ALLOW_LOCAL_ENDPOINTS: "true", NODE_ENV: "test", WC_CHECK_SQL_ROWS: "1", WC_TEST_TRANSACTION_TIMEOUT_MS: "30000" },
  },
});
