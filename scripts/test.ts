// The whole test suite (the README's test command): static checks, unit + integration tests with
// vitest, the production build and Playwright e2e in Chromium, and the fault suite (worker crashes,
// PostgreSQL restarts, outages). PostgreSQL: DATABASE_URL's server when set, else an embedded one;
// the fault suite runs its own embedded servers, one per file, which it stops and restarts.
//
// Most of the fault suite's time is waiting (a receiver held down for 120 s, drains, restarts), so
// it runs beside the other stages. What needs the CPU to itself runs one after another: the build,
// the unit stage, the delivery scenarios 1-4 (one file at a time: 20,000 deliveries drained against
// a deadline, receiver timeouts of 1.5 s), then e2e (a browser running axe-core on every page).
// On 2 cores, e2e beside the unit stage pushed Prisma transactions past 5 s (the fuzz test's 500s),
// beside the SIGKILL scenario left it undrained, and beside receiver chaos made a timeout's attempt
// miss the receiver's tally.
//   from the start:    faults: endpoint outage, embedded PostgreSQL      (test-results/faults.log)
//                      build
//   after the build:   unit                                             (on the terminal)
//                      faults: `npm start` lifecycle                    (test-results/faults-console.log)
//   after unit:        faults: delivery scenarios 1-4, one file at a time (test-results/faults-delivery.log)
//   after that:        e2e, static                                     (test-results/<stage>.log)
// Static runs after the build so `tsc` also checks the route types Next generates; the build then
// skips its own copy of that check (WC_BUILD_TYPECHECKED). Background logs are printed at the end,
// one stage at a time, so outputs never interleave. `npm test -- <stage> …` runs only those
// (static, unit, e2e, faults).
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startTestServer } from "../lib/testing/database";
import { freePort } from "../lib/testing/ports";
import { buildIfStale, repoRoot } from "./lib/build";

const log = (line: string) => console.log(`[test] ${line}`);
const only = process.argv.slice(2); // e.g. `npm test -- static`, `unit`, `e2e` or `faults`
const wants = (stage: string) => only.length === 0 || only.includes(stage);
const reports = path.join(repoRoot, "test-results");
const started = Date.now();
const seconds = (from: number, to = Date.now()) => `${((to - from) / 1000).toFixed(0)} s`;

type Counts = { passed: number; failed: number; skipped: number };
type Timing = { stage: string; from: number; to: number };
const timings: Timing[] = [];

/**
 * Runs a command to completion: output to the terminal, or straight into `logFile` (a file
 * descriptor, not a pipe through this process, so a synchronous build here cannot stall it).
 */
function run(command: string, args: string[], env: Record<string, string>, logFile?: string): Promise<number> {
  return new Promise((resolve) => {
    const fd = logFile ? openSync(logFile, "w") : null;
    const child = spawn(command, args, {
      cwd: repoRoot,
      stdio: fd === null ? "inherit" : ["ignore", fd, fd],
      env: { ...process.env, ...env },
    });
    const finish = (code: number) => {
      if (fd !== null) closeSync(fd);
      resolve(code);
    };
    child.once("close", (code) => finish(code ?? 1));
    child.once("error", () => finish(1));
  });
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

const vitest = path.join(repoRoot, "node_modules/vitest/vitest.mjs");

/** A vitest run of the fault suite over `files`, in the background; its counts once done. */
async function faultRun(name: string, files: string[], options: string[] = []): Promise<Counts> {
  const from = Date.now();
  const report = path.join(reports, `${name}.json`);
  const logFile = path.join(reports, `${name}.log`);
  const args = [
    vitest,
    "run",
    "--config",
    "vitest.faults.config.ts",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...options,
    ...files,
  ];
  const status = await run(process.execPath, args, {}, logFile);
  timings.push({ stage: name, from, to: Date.now() });
  const counts = vitestCounts(report);
  // A run that failed without a failing test (a crash, a hook timeout) is one failure.
  return status !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

/** Playwright against the production build, on a database of its own; its counts once done. */
async function e2eRun(databaseUrl: string): Promise<Counts> {
  const from = Date.now();
  const report = path.join(reports, "playwright.json");
  // A port of its own: another clone's e2e run on this machine may hold the default one.
  const port = process.env.E2E_PORT ?? String(await freePort());
  const status = await run(
    process.execPath,
    [path.join(repoRoot, "node_modules/@playwright/test/cli.js"), "test"],
    { DATABASE_URL: databaseUrl, E2E_PORT: port, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    path.join(reports, "e2e.log"),
  );
  timings.push({ stage: "e2e", from, to: Date.now() });
  const counts = playwrightCounts(report);
  // No test run at all (the server never came up) is a failure, not an empty pass.
  return status !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

/** tsc, eslint and prettier, one after the other (each uses one core), in the background; one count each. */
async function staticRun(): Promise<Counts> {
  const from = Date.now();
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  const logFile = path.join(reports, "static.log");
  // Strict TypeScript, lint and formatting are part of "the suite passes", each counted as one check.
  const checks = [
    ["typecheck", [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "--noEmit"]],
    ["lint", [path.join(repoRoot, "node_modules/eslint/bin/eslint.js"), "--max-warnings=0", "."]],
    ["format", [path.join(repoRoot, "node_modules/prettier/bin/prettier.cjs"), "--check", "--log-level=warn", "."]],
  ] as const;
  for (const [name, args] of checks) {
    const ok = (await run(process.execPath, [...args], {}, `${logFile}.${name}`)) === 0;
    if (ok) counts.passed++;
    else counts.failed++;
  }
  writeFileSync(
    logFile,
    checks.map(([name]) => `${name}: ${readFileSync(`${logFile}.${name}`, "utf8").trim() || "clean"}`).join("\n") + "\n",
  );
  for (const [name] of checks) rmSync(`${logFile}.${name}`);
  timings.push({ stage: "static", from, to: Date.now() });
  return counts;
}

async function main() {
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });
  const server = await startTestServer();
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (counts: Counts) => {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  };
  // Background stages: their counts and logs are collected once the terminal's stages are done.
  const background: { name: string; done: Promise<Counts>; finished: boolean }[] = [];
  const inBackground = (name: string, done: Promise<Counts>) => {
    log(`${name}: in the background (test-results/${name}.log)…`);
    const entry = { name, done, finished: false };
    void done.finally(() => (entry.finished = true));
    background.push(entry);
  };
  let exitCode = 0;
  try {
    if (wants("faults")) inBackground("faults", faultRun("faults", ["lib/faults/outage.faults.ts", "lib/faults/embedded.faults.ts"]));

    if (wants("e2e") || wants("faults")) {
      if (wants("e2e")) assertBrowser();
      const from = Date.now();
      // Static's tsc (below) checks the same project, generated route types included.
      if (wants("static")) process.env.WC_BUILD_TYPECHECKED = "1";
      buildIfStale(log);
      delete process.env.WC_BUILD_TYPECHECKED;
      timings.push({ stage: "build", from, to: Date.now() });
      if (wants("faults")) inBackground("faults-console", faultRun("faults-console", ["lib/faults/console.faults.ts"]));
    }

    if (wants("unit")) {
      const report = path.join(reports, "vitest.json");
      log("Unit and integration tests (vitest)…");
      const from = Date.now();
      const status = await run(process.execPath, [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
        // The global setup migrates a template database on this server; each worker gets a copy.
        DATABASE_URL: server.adminUrl,
      });
      timings.push({ stage: "unit", from, to: Date.now() });
      const counts = vitestCounts(report);
      add(counts);
      if (status !== 0) exitCode = 1;
      log(`vitest: ${counts.passed} passed, ${counts.failed} failed (${seconds(from)})`);
    }
    if (wants("faults")) {
      const scenarios = faultRun(
        "faults-delivery",
        ["lib/faults/sigkill.faults.ts", "lib/faults/delivery.faults.ts"],
        ["--no-file-parallelism"],
      );
      inBackground("faults-delivery", scenarios);
      await scenarios;
    }
    if (wants("e2e")) inBackground("e2e", e2eRun(await server.createDatabase("e2e")));
    if (wants("static")) inBackground("static", staticRun());

    for (const { name, done, finished } of background) {
      if (!finished) log(`Waiting for ${name}…`);
      const counts = await done;
      add(counts);
      if (counts.failed > 0) exitCode = 1;
      console.log(`\n----- ${name} (test-results/${name}.log) -----`);
      const logFile = path.join(reports, `${name}.log`);
      process.stdout.write(existsSync(logFile) ? readFileSync(logFile, "utf8") : `(no ${logFile})\n`);
      log(`${name}: ${counts.passed} passed, ${counts.failed} failed`);
    }
  } finally {
    await server.stop();
  }
  const at = (ms: number) => ((ms - started) / 1000).toFixed(0);
  log(`Stages (seconds from the start): ${timings.map((t) => `${t.stage} ${at(t.from)}→${at(t.to)}`).join(", ")}`);
  log(`Finished in ${seconds(started)}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
  process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
}

main().catch((error: unknown) => {
  console.error("[test] failed:", error instanceof Error ? error.message : error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
