import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium when installed (Playwright's own download is unreachable offline).
const systemChromium = "/usr/bin/chromium";
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  // Its own folder: Playwright empties its output folder when it starts, and npm test writes the
  // other stages' logs and reports into test-results/ meanwhile.
  outputDir: "test-results/playwright",
  fullyParallel: false,
  workers: 1, // the tests share one database and one signed-in admin
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
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
