// The whole test suite (the README's test command): static checks, unit + integration tests with
// vitest, the production build and Playwright e2e in Chromium, and the fault suite (worker crashes,
// PostgreSQL restarts, outages). PostgreSQL: DATABASE_URL's server when set, else an embedded one;
// the fault suite runs its own embedded servers, one per file, which it stops and restarts.
//
// On this machine's 2 cores a stage run alone leaves a core idle most of the time (one browser and
// one server taking turns, a vitest worker waiting on PostgreSQL, a drain waiting on its receiver),
// so the stages overlap wherever the CPU allows:
//   from the start:    faults: endpoint outage, embedded PostgreSQL      (test-results/faults.log)
//                      eslint and prettier (no build needed)            (test-results/static.log)
//                      build                                            (test-results/build.log)
//   after the build:   e2e, three Playwright shards side by side        (test-results/e2e*.log)
//                      unit                                             (on the terminal)
//                      tsc (checks the route types the build generated) (test-results/static.log)
//                      faults: `npm start` lifecycle                    (test-results/faults-console.log)
//   after unit:        faults: delivery scenarios 1-4, one file at a time (test-results/faults-delivery.log)
// The build runs in the background (its output in test-results/build.log); the unit stage still
// waits for it (see main()).
// Static and e2e run at a lower priority (BESIDE): they take the CPU the build, the unit stage and
// the delivery scenarios leave idle, so those keep their timing (the unit stage beside a
// same-priority e2e pushed Prisma transactions past their 5 s); once the unit stage and the delivery
// scenarios are done they are raised to full priority (releaseBeside). The build skips its own type
// check (WC_BUILD_TYPECHECKED): static's tsc runs over the same project.
// The delivery scenarios still run one file at a time after the unit stage (20,000 deliveries
// drained against a deadline, receiver timeouts of 1.5 s), and each e2e shard is one worker: specs
// on one server receive each other's events. Background logs are printed at the end,
// one stage at a time, so outputs never interleave; then every failure once more (a "Failures"
// block, lib/testing/failures.ts) right before the final count, since CI shows only the log's tail.
// `npm test -- <stage> …` runs only those (static, unit, e2e, faults).
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startTestServer, type TestServer } from "../lib/testing/database";
import { type Failure, failureFileSchema, failuresBlock, firstLines, playwrightFailures } from "../lib/testing/failures";
import { freePort } from "../lib/testing/ports";
import { buildIfStaleInBackground, repoRoot } from "./lib/build";

const log = (line: string) => console.log(`[test] ${line}`);
const only = process.argv.slice(2); // e.g. `npm test -- static`, `unit`, `e2e` or `faults`
const wants = (stage: string) => only.length === 0 || only.includes(stage);
const reports = path.join(repoRoot, "test-results");
const started = Date.now();
const seconds = (from: number, to = Date.now()) => `${((to - from) / 1000).toFixed(0)} s`;

type Counts = { passed: number; failed: number; skipped: number };
type Timing = { stage: string; from: number; to: number };
const timings: Timing[] = [];
/** Every failure of every stage, listed once more right before the final count (CI shows the tail). */
const failures: Failure[] = [];

/** The last lines of a stage's log, for a stage that failed without naming a failing test. */
const logTail = (logFile: string) =>
  existsSync(logFile)
    ? firstLines(readFileSync(logFile, "utf8").split("\n").slice(-40).reverse().join("\n"), 3).reverse()
    : [`(no ${logFile})`];

/**
 * Runs a command to completion: output straight into `logFile` (a file descriptor, not a pipe
 * through this process, so a synchronous build here cannot stall it), or with `echo` to the
 * terminal as well (through this process: only while nothing here blocks), at `niceness` (0: this
 * process's priority).
 */
function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  niceness = 0,
  echo = false,
  onSpawn: (pid: number) => void = () => {},
): Promise<number> {
  return new Promise((resolve) => {
    const fd = openSync(logFile, "w");
    // `nice` for the stages that only soak up idle CPU: its children (a browser, a server) inherit it.
    const [file, argv] = niceness > 0 ? ["nice", ["-n", String(niceness), command, ...args]] : [command, args];
    const child = spawn(file, argv, {
      cwd: repoRoot,
      stdio: echo ? ["ignore", "pipe", "pipe"] : ["ignore", fd, fd],
      env: { ...process.env, ...env },
    });
    if (child.pid) onSpawn(child.pid);
    const tee = (chunk: Buffer, terminal: NodeJS.WriteStream) => {
      terminal.write(chunk);
      writeSync(fd, chunk);
    };
    child.stdout?.on("data", (chunk: Buffer) => tee(chunk, process.stdout));
    child.stderr?.on("data", (chunk: Buffer) => tee(chunk, process.stderr));
    const finish = (code: number) => {
      closeSync(fd);
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

/** The failures a report lists; a report that cannot be read is itself one (not a crash of npm test). */
function reportFailures(stage: string, file: string, read: (json: unknown) => Failure[]): Failure[] {
  try {
    return read(JSON.parse(readFileSync(file, "utf8")));
  } catch (error) {
    return [{ stage, file: path.relative(repoRoot, file), test: "(unreadable report)", error: firstLines(String(error)) }];
  }
}

/**
 * A vitest run (unit or fault suite) over `args`: its status, counts, and failures noted for the
 * closing block. Vitest's JSON report gives the counts; lib/testing/failure-reporter.ts names what
 * failed, including what the JSON drops (hook errors, files that did not load, unhandled errors).
 */
async function vitestRun(
  stage: string,
  args: string[],
  env: Record<string, string>,
  echo: boolean,
  niceness = 0,
  onSpawn?: (pid: number) => void,
): Promise<{ status: number; counts: Counts }> {
  const report = path.join(reports, `${stage}.json`);
  const failureFile = path.join(reports, `${stage}.failures.json`);
  const logFile = path.join(reports, `${stage}.log`);
  const reporters = [
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    "--reporter=./lib/testing/failure-reporter.ts",
  ];
  const status = await run(
    process.execPath,
    [vitest, "run", ...reporters, ...args],
    { ...env, WC_FAILURES_FILE: failureFile },
    logFile,
    niceness,
    echo,
    onSpawn,
  );
  const counts = vitestCounts(report);
  const found = existsSync(failureFile)
    ? reportFailures(stage, failureFile, (json) => failureFileSchema.parse(json).failures.map((failure) => ({ stage, ...failure })))
    : [];
  failures.push(...found);
  if (status !== 0 && found.length === 0) {
    failures.push({
      stage,
      file: `test-results/${stage}.log`,
      test: `vitest exited ${status} naming no failed test`,
      error: logTail(logFile),
    });
  }
  // A run that failed without a failing test (a hook, a crash, an unhandled error) counts its failures.
  return { status, counts: status !== 0 && counts.failed === 0 ? { ...counts, failed: Math.max(1, found.length) } : counts };
}

/** A vitest run of the fault suite over `files`, in the background; its counts once done. */
async function faultRun(name: string, files: string[], options: string[] = []): Promise<Counts> {
  const from = Date.now();
  const { counts } = await vitestRun(name, ["--config", "vitest.faults.config.ts", ...options, ...files], {}, false);
  timings.push({ stage: name, from, to: Date.now() });
  return counts;
}

/**
 * The e2e specs in shards that run side by side, each its own Playwright run with its own console
 * server, database and data directory: specs sharing a server receive each other's events (an
 * event reaches every subscribed webhook), so sharing is what kept e2e on one worker. Much of a
 * spec's time is waiting (network idle, deliveries, the server's answers), which the other shard
 * fills. pages.spec.ts (every page at five sizes and schemes, axe-core on each) is about half of the
 * whole, so it runs as two shards, its light runs (390, 1440 and 320 px) and its dark ones: as one,
 * it ran alone at the end, one core idle. The flows shard starts with auth.spec.ts, whose first
 * test needs a server without an admin. `grep` picks tests by title (Playwright's --grep).
 */
const E2E_PAGES = ["e2e/pages.spec.ts"];
const E2E_SHARDS: { name: string; specs: string[]; grep?: string }[] = [
  { name: "e2e-pages-light", specs: E2E_PAGES, grep: " px, light: " },
  { name: "e2e-pages-dark", specs: E2E_PAGES, grep: " px, dark: " },
  {
    name: "e2e-flows",
    specs: readdirSync(path.join(repoRoot, "e2e"))
      .filter((file) => file.endsWith(".spec.ts"))
      .map((file) => `e2e/${file}`)
      .filter((file) => !E2E_PAGES.includes(file)),
  },
];

/** One Playwright shard against the production build, on a database of its own; its counts once done. */
async function e2eShard(name: string, specs: string[], grep: string | undefined, databaseUrl: string): Promise<Counts> {
  const report = path.join(reports, `${name}.json`);
  const logFile = path.join(reports, `${name}.log`);
  // A port of its own: another clone's e2e run on this machine may hold the default one.
  const port = String(await freePort());
  const status = await run(
    process.execPath,
    [path.join(repoRoot, "node_modules/@playwright/test/cli.js"), "test", ...(grep ? ["--grep", grep] : []), ...specs],
    {
      DATABASE_URL: databaseUrl,
      E2E_PORT: port,
      E2E_OUTPUT_DIR: path.join(reports, "playwright", name),
      DATA_DIR: path.join(repoRoot, ".data", name),
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
    },
    logFile,
    BESIDE,
    false,
    startedBeside,
  );
  const counts = playwrightCounts(report);
  const found = existsSync(report) ? reportFailures(name, report, (json) => playwrightFailures(name, json)) : [];
  failures.push(...found);
  if (status !== 0 && found.length === 0) {
    failures.push({
      stage: name,
      file: `test-results/${name}.log`,
      test: `Playwright exited ${status} naming no failed test`,
      error: logTail(logFile),
    });
  }
  // No test run at all (the server never came up) is a failure, not an empty pass.
  return status !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

/** Every e2e shard at once; the counts of all, and one log (test-results/e2e.log) with each shard's in turn. */
async function e2eRun(server: TestServer): Promise<Counts> {
  const from = Date.now();
  const results = await Promise.all(
    E2E_SHARDS.map(async ({ name, specs, grep }) => {
      const counts = await e2eShard(name, specs, grep, await server.createDatabase(name.replaceAll("-", "_")));
      timings.push({ stage: name, from, to: Date.now() });
      return counts;
    }),
  );
  writeFileSync(
    path.join(reports, "e2e.log"),
    E2E_SHARDS.map(({ name }) => {
      const logFile = path.join(reports, `${name}.log`);
      return `== ${name} (test-results/${name}.log)\n${existsSync(logFile) ? readFileSync(logFile, "utf8") : "(no log)\n"}`;
    }).join("\n"),
  );
  timings.push({ stage: "e2e", from, to: Date.now() });
  return results.reduce((sum, counts) => ({
    passed: sum.passed + counts.passed,
    failed: sum.failed + counts.failed,
    skipped: sum.skipped + counts.skipped,
  }));
}

/**
 * The niceness of the stages that run beside timing-sensitive ones (static beside the build, e2e
 * beside the unit stage and the delivery scenarios): when both want the CPU, the others go first
 * (about 10 to 1), and these take what they leave idle. Timeouts in the unit and fault suites
 * (Prisma's 5 s transactions, drain deadlines, lease expiries) see about the CPU they had alone.
 */
const BESIDE = 10;

/** `pid` and every process under it back at this process's priority (Linux /proc; gone ones skipped). */
function raisePriority(pid: number) {
  try {
    setPriority(pid, getPriority());
  } catch {
    return; // exited
  }
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {
    // exited meanwhile
  }
  for (const child of children) raisePriority(Number(child));
}

/** Lowering a niceness again takes root (CAP_SYS_NICE). */
const canRaisePriority = process.platform === "linux" && process.getuid?.() === 0;

/**
 * The stages started at BESIDE (static, e2e), raised to full priority once the unit stage and the
 * delivery scenarios are done: from then on nothing of this run needs protecting, and at nice 10 on
 * a shared machine every other user's process went first (a context's close past its minute, a
 * test payload's answer past 10 s, at load 14-17).
 */
const beside = { pids: new Set<number>(), released: false };
function startedBeside(pid: number) {
  if (beside.released) raisePriority(pid);
  else beside.pids.add(pid);
}
function releaseBeside() {
  beside.released = true;
  if (canRaisePriority) for (const pid of beside.pids) raisePriority(pid);
}

const CHECKS = {
  typecheck: [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "--noEmit"],
  lint: [path.join(repoRoot, "node_modules/eslint/bin/eslint.js"), "--max-warnings=0", "."],
  format: [path.join(repoRoot, "node_modules/prettier/bin/prettier.cjs"), "--check", "--log-level=warn", "."],
} as const;
const CHECK_NAMES = { typecheck: "tsc --noEmit", lint: "eslint --max-warnings=0 .", format: "prettier --check ." } as const;

/**
 * tsc, eslint and prettier (one core each), in the background; one count each. eslint and prettier
 * need no build and start at once, beside it; tsc waits for `built`, so it also checks the route
 * types the build generates.
 */
async function staticRun(built: Promise<void>): Promise<Counts> {
  const from = Date.now();
  const logFile = path.join(reports, "static.log");
  // Strict TypeScript, lint and formatting are part of "the suite passes", each counted as one check.
  const check = async (name: keyof typeof CHECKS) =>
    (await run(process.execPath, [...CHECKS[name]], {}, `${logFile}.${name}`, BESIDE, false, startedBeside)) === 0;
  const [lint, format, typecheck] = await Promise.all([check("lint"), check("format"), built.then(() => check("typecheck"))]);
  const names = ["typecheck", "lint", "format"] as const;
  const outputs = names.map((name) => readFileSync(`${logFile}.${name}`, "utf8"));
  writeFileSync(logFile, names.map((name, i) => `${name}: ${outputs[i]?.trim() || "clean"}`).join("\n") + "\n");
  for (const name of names) rmSync(`${logFile}.${name}`);
  const ok = { typecheck, lint, format };
  names.forEach((name, i) => {
    if (!ok[name]) failures.push({ stage: "static", file: name, test: CHECK_NAMES[name], error: firstLines(outputs[i] ?? "") });
  });
  timings.push({ stage: "static", from, to: Date.now() });
  const passed = [typecheck, lint, format].filter(Boolean).length;
  return { passed, failed: 3 - passed, skipped: 0 };
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
    const building = wants("e2e") || wants("faults");
    if (building && wants("e2e")) assertBrowser();
    // The build runs in the background, beside the unit stage (which needs none): its output in
    // test-results/build.log. Static's tsc checks the same project once it is done, generated
    // route types included, so the build skips its own type check.
    const buildFrom = Date.now();
    const build = building
      ? buildIfStaleInBackground(log, path.join(reports, "build.log"), wants("static") ? { WC_BUILD_TYPECHECKED: "1" } : {}).then(() =>
          timings.push({ stage: "build", from: buildFrom, to: Date.now() }),
        )
      : Promise.resolve();
    build.catch(() => {}); // awaited below, after the unit stage
    // tsc waits for the build either way (a failed build is reported on its own).
    const built = build.then(
      () => {},
      () => {},
    );
    if (wants("static")) inBackground("static", staticRun(built));
    const afterBuild = build.then(() => {
      if (wants("e2e")) inBackground("e2e", e2eRun(server));
      if (wants("faults")) inBackground("faults-console", faultRun("faults-console", ["lib/faults/console.faults.ts"]));
    });
    afterBuild.catch(() => {});

    if (wants("unit")) {
      // After the build: beside it at nice 10 (so the build kept its speed), the unit stage was
      // starved by other users' processes on this shared machine (a delivery timing test failed
      // at load 20, the stage took 531 s); at the same priority the build, which e2e waits for,
      // slowed from 145 to 247 s.
      await afterBuild;
      log("Unit and integration tests (vitest)…");
      const from = Date.now();
      // On the terminal, and in test-results/unit.log for the failures block.
      // The global setup migrates a template database on this server; each worker gets a copy.
      const { status, counts } = await vitestRun("unit", [], { DATABASE_URL: server.adminUrl }, true);
      timings.push({ stage: "unit", from, to: Date.now() });
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
    releaseBeside();
    // A failed build ends the run here (e2e and the `npm start` faults need it).
    await afterBuild;

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
  // What failed, once more where a CI log's tail shows it, right before the final count.
  process.stdout.write(failuresBlock(failures));
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
  process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
}

main().catch((error: unknown) => {
  console.error("[test] failed:", error instanceof Error ? error.message : error);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
