// Mobile Lighthouse of a signed-in console page, reproducibly: a fresh database, the production
// build (`npm start`'s server), an admin, a few webhooks with traffic from a local receiver, then
// N Lighthouse runs (mobile form factor, Lighthouse's default simulated throttling) and their
// median. Prints figures; it is not a test and asserts nothing.
//   npx tsx scripts/lighthouse.ts                    # /webhooks, 3 runs
//   npx tsx scripts/lighthouse.ts /overview --runs=5 --keep=/tmp/lh   # also keeps each report's JSON
//   npx tsx scripts/lighthouse.ts --serve            # seeds, prints the URL and the cookie, keeps serving
// Lighthouse is not a dependency of the project: LIGHTHOUSE=/path/to/bin/lighthouse, else
// `npx -y lighthouse@12.2.3` (downloaded once into npm's cache). Chromium: CHROME_PATH, else
// /usr/bin/chromium.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startTestServer } from "../lib/testing/database";
import { buildIfStale, repoRoot } from "./lib/build";

const args = process.argv.slice(2);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
const target = args.find((arg) => arg.startsWith("/")) ?? "/webhooks";
const runs = Number(option("runs") ?? 3);
const keep = option("keep");
const port = Number(process.env.LIGHTHOUSE_PORT ?? 3310);
const base = `http://localhost:${port}`;
const admin = { email: "lighthouse@example.com", password: "correct horse battery staple" };
const log = (line: string) => console.log(`[lighthouse] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Report = {
  lighthouseVersion: string;
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; displayValue?: string; details?: { items?: BootupItem[] } }>;
};
type BootupItem = { url: string; total: number; scripting: number };

async function waitForHealth() {
  const until = Date.now() + 240_000;
  while (Date.now() < until) {
    const ok = await fetch(`${base}/api/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(500);
  }
  throw new Error("the console did not answer /api/health within 240 s");
}

async function api(pathname: string, init: { method?: string; body?: unknown; cookie?: string; key?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json", origin: base };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  const res = await fetch(`${base}${pathname}`, { method: init.method ?? "POST", headers, body: JSON.stringify(init.body) });
  if (!res.ok) throw new Error(`${init.method ?? "POST"} ${pathname}: ${res.status} ${await res.text()}`);
  return res;
}

/** Five webhooks on one local receiver: healthy, one that fails a fifth of its requests, one disabled. */
async function seed(receiverUrl: string) {
  const signIn = await api("/api/auth/sign-in", { body: admin });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const key = ((await (await api("/api/api-keys", { cookie, body: { name: "lighthouse", scope: "ingest" } })).json()) as { key: string })
    .key;
  const hooks = [
    { name: "Billing sync", events: ["User.Created", "User.Deleted"], path: "ok" },
    { name: "CRM contacts", events: ["User.Created", "User.Data.Updated"], path: "flaky" },
    { name: "Audit log", events: ["PostSignIn", "PostRegister", "User.Created"], path: "ok" },
    { name: "Org directory", events: ["Organization.Created", "Organization.Membership.Updated"], path: "ok" },
    { name: "Legacy export", events: ["User.Deleted"], path: "ok", enabled: false },
  ];
  for (const hook of hooks) {
    const res = await api("/api/hooks", {
      cookie,
      body: { name: hook.name, events: hook.events, config: { url: `${receiverUrl}/${hook.path}` } },
    });
    const { id } = (await res.json()) as { id: string };
    if (hook.enabled === false) await api(`/api/hooks/${id}`, { method: "PATCH", cookie, body: { enabled: false } });
  }
  const events = ["User.Created", "User.Data.Updated", "PostSignIn", "Organization.Created", "User.Deleted"];
  for (let n = 0; n < 120; n += 1) {
    await api("/api/events", { key, body: { event: events[n % events.length], data: { n } } });
  }
  return cookie;
}

function lighthouseCommand(): [string, string[]] {
  const bin = process.env.LIGHTHOUSE;
  return bin ? [bin, []] : ["npx", ["-y", "lighthouse@12.2.3"]];
}

function runLighthouse(cookie: string, output: string): Report {
  const [command, prefix] = lighthouseCommand();
  const result = spawnSync(
    command,
    [
      ...prefix,
      `${base}${target}`,
      "--quiet",
      "--form-factor=mobile",
      "--only-categories=performance,accessibility,best-practices",
      "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
      `--extra-headers=${JSON.stringify({ cookie })}`,
      "--output=json",
      `--output-path=${output}`,
    ],
    { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" } },
  );
  if (result.status !== 0) throw new Error(`lighthouse exited with ${result.status}`);
  return JSON.parse(readFileSync(output, "utf8")) as Report;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const score = (report: Report, category: string) => Math.round((report.categories[category]?.score ?? 0) * 100);
const ms = (report: Report, audit: string) => Math.round(report.audits[audit]?.numericValue ?? NaN);
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

async function main() {
  buildIfStale(log);
  const server = await startTestServer();
  const databaseUrl = await server.createDatabase("lighthouse");
  // The receiver answers at once; "/flaky" answers 500 to every fifth request (retried, then settled).
  let flaky = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const fail = req.url?.endsWith("/flaky") && (flaky += 1) % 5 === 0;
      res.writeHead(fail ? 500 : 200).end(fail ? "temporarily unavailable" : "ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  const consoleProcess = spawn(process.execPath, ["--import", "tsx", "scripts/console.ts"], {
    cwd: repoRoot,
    stdio: "ignore",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      ALLOW_LOCAL_ENDPOINTS: "true",
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: "warn",
    },
  });
  const dir = keep ?? mkdtempSync(path.join(os.tmpdir(), "lighthouse-"));
  mkdirSync(dir, { recursive: true });
  try {
    await waitForHealth();
    const cookie = await seed(receiverUrl);
    // Let the first attempts settle, so the list shows rates rather than "in flight".
    await sleep(3_000);
    // One warm-up load: Next compiles nothing in production, but the first request fills caches.
    await fetch(`${base}${target}`, { headers: { cookie } });
    if (args.includes("--serve")) {
      log(`serving ${base} (sign in as ${admin.email} / ${admin.password}); cookie: ${cookie}; Ctrl-C stops`);
      await new Promise((resolve) => process.once("SIGINT", resolve).once("SIGTERM", resolve));
      return;
    }
    const reports: Report[] = [];
    for (let run = 1; run <= runs; run += 1) {
      const before = load();
      const report = runLighthouse(cookie, path.join(dir, `run-${run}.json`));
      reports.push(report);
      log(
        `run ${run}: performance ${score(report, "performance")}, accessibility ${score(report, "accessibility")}, best practices ${score(report, "best-practices")}; ` +
          `FCP ${ms(report, "first-contentful-paint")} ms, LCP ${ms(report, "largest-contentful-paint")} ms, TBT ${ms(report, "total-blocking-time")} ms, ` +
          `SI ${ms(report, "speed-index")} ms, CLS ${(report.audits["cumulative-layout-shift"]?.numericValue ?? NaN).toFixed(3)}; load average ${before} -> ${load()}`,
      );
    }
    const middle =
      reports.find((report) => score(report, "performance") === median(reports.map((r) => score(r, "performance")))) ?? reports[0];
    if (!middle) return;
    const bootup = (middle.audits["bootup-time"]?.details?.items ?? []).slice(0, 6);
    log(`Lighthouse ${middle.lighthouseVersion}, ${target}, ${runs} runs, ${os.cpus().length} CPUs`);
    log(
      `median: performance ${median(reports.map((r) => score(r, "performance")))}, TBT ${median(reports.map((r) => ms(r, "total-blocking-time")))} ms, ` +
        `LCP ${median(reports.map((r) => ms(r, "largest-contentful-paint")))} ms, accessibility ${median(reports.map((r) => score(r, "accessibility")))}, ` +
        `best practices ${median(reports.map((r) => score(r, "best-practices")))}`,
    );
    log("main-thread time by script (median run):");
    for (const item of bootup)
      log(`  ${Math.round(item.total)} ms total, ${Math.round(item.scripting)} ms scripting  ${item.url.replace(base, "")}`);
    if (keep) writeFileSync(path.join(dir, "summary.txt"), `${target} ${runs} runs\n`);
  } finally {
    consoleProcess.kill("SIGTERM");
    await new Promise((resolve) => consoleProcess.once("exit", resolve));
    receiver.close();
    await server.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error("[lighthouse] failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
