import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium when installed (Playwright's own download is unreachable offline).
const systemChromium = "/usr/bin/chromium";
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  // Its own folder: Playwright empties its output folder when it starts, and npm test writes the
  // other stages' logs and reports into test-results/ meanwhile (and runs one Playwright per shard).
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results/playwright",
  fullyParallel: false,
  // The tests of one run share one server, database and signed-in admin, and an event reaches every
  // subscribed webhook: one worker. npm test runs several Playwright runs side by side instead, each
  // on its own server and database (scripts/test.ts).
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    // A trace of every test, kept when it fails: actions, DOM snapshots, network, console. Without
    // the screencast: its frames cost a third of a spec's CPU here (pages.spec at 390 px: 22 s of
    // CPU with them, 17 s without, 14 s with no trace at all).
    trace: { mode: "retain-on-failure", screenshots: false },
    launchOptions: {
      executablePath: existsSync(systemChromium) ? systemChromium : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
  },
  webServer: {
    command: "npx tsx scripts/console.ts",
    url: `http://localhost:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { PORT: String(port), ALLOW_LOCAL_ENDPOINTS: "true", DELIVERY_WORKER: "on" },
  },
});
