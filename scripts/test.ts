// The whole test suite (the README's test command): unit + integration tests with vitest against a
// fresh PostgreSQL database, then the production build and Playwright e2e in Chromium against
// another fresh database, then the fault suite (its own embedded PostgreSQL, which it restarts).
// PostgreSQL: DATABASE_URL's server when set, else an embedded one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startTestServer } from "../lib/testing/database";
import { buildIfStale, repoRoot } from "./lib/build";

const log = (line: string) => console.log(`[test] ${line}`);
const only = process.argv.slice(2); // e.g. `npm test -- static`, `unit`, `e2e` or `faults`
const wants = (stage: string) => only.length === 0 || only.includes(stage);
const reports = path.join(repoRoot, "test-results");

type Counts = { passed: number; failed: number; skipped: number };

function run(command: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function vitestCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file: string): Counts {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const { stats } = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  };
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

function assertBrowser() {
  if (existsSync("/usr/bin/chromium")) return;
  if (existsSync(chromium.executablePath())) return;
  throw new Error(
    "No Chromium for the e2e tests: install Debian's package (`apt-get install -y chromium`) or run `npx playwright install chromium`.",
  );
}

async function main() {
  const started = Date.now();
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const server = await startTestServer();
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (counts: Counts) => {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  };
  let exitCode = 0;
  try {
    if (wants("static")) {
      // Strict TypeScript and lint are part of "the suite passes", each counted as one check.
      log("Static checks (tsc --noEmit, eslint)…");
      const checks = [
        ["typecheck", [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "--noEmit"]],
        ["lint", [path.join(repoRoot, "node_modules/eslint/bin/eslint.js"), "--max-warnings=0", "."]],
      ] as const;
      for (const [name, args] of checks) {
        const ok = run(process.execPath, [...args], {}) === 0;
        add({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
        if (!ok) exitCode = 1;
        log(`${name}: ${ok ? "clean" : "FAILED"}`);
      }
    }
    if (wants("unit")) {
      const report = path.join(reports, "vitest.json");
      log("Unit and integration tests (vitest)…");
      const status = run(process.execPath, [path.join(repoRoot, "node_modules/vitest/vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
        // The global setup migrates a template database on this server; each file gets a copy.
        DATABASE_URL: server.adminUrl,
      });
      const counts = vitestCounts(report);
      add(counts);
      if (status !== 0) exitCode = 1;
      log(`vitest: ${counts.passed} passed, ${counts.failed} failed`);
    }
    if (wants("e2e")) {
      assertBrowser();
      buildIfStale(log);
      const databaseUrl = await server.createDatabase("e2e");
      const report = path.join(reports, "playwright.json");
      log("End-to-end tests (Playwright, Chromium, production build)…");
      const status = run(process.execPath, [path.join(repoRoot, "node_modules/@playwright/test/cli.js"), "test"], {
        DATABASE_URL: databaseUrl,
        PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      });
      const counts = playwrightCounts(report);
      add(counts);
      if (status !== 0) exitCode = 1;
      log(`playwright: ${counts.passed} passed, ${counts.failed} failed`);
    }
    if (wants("faults")) {
      const report = path.join(reports, "faults.json");
      log("Fault suite (vitest, worker crashes, PostgreSQL restart, receiver chaos, outage)…");
      const status = run(process.execPath, [path.join(repoRoot, "node_modules/vitest/vitest.mjs"), "run", "--config", "vitest.faults.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {});
      const counts = vitestCounts(report);
      add(counts);
      if (status !== 0) exitCode = 1;
      log(`faults: ${counts.passed} passed, ${counts.failed} failed`);
    }
  } finally {
    await server.stop();
  }
  log(`Finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
  process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
}

main().catch((error: unknown) => {
  console.error("[test] failed:", error instanceof Error ? error.message : error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
