// `npm start` as an operator runs it: the real run command (production build, embedded PostgreSQL
// in its own data directory, the in-process worker), stopped by signals and by losing its database.
// - SIGTERM to npm: readiness answers 503 while it drains, the delivery in flight finishes, exit 0
//   within a bound, nothing left leased;
// - SIGINT to the node process: exit 0;
// - a second signal a second later forces exit (143);
// - the postmaster SIGKILLed: readiness 503 while the supervisor restarts it, then ready again; a
//   postmaster that cannot come back: the process exits 1 saying so.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDED_DATABASE_NAME } from "@/lib/db/bootstrap";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { startReceiver, type Receiver } from "@/lib/testing/receiver";
import { waitFor } from "@/lib/testing/wait";
import { buildIfStale } from "@/scripts/lib/build";
import { freePort } from "@/lib/testing/ports";

const API_KEY = process.env.API_KEY ?? "";
const dataDir = path.resolve(`.data/faults-console-${process.pid}`);
let receiver: Receiver;
const runs: Run[] = [];

type Run = { npm: ChildProcess; origin: string; output: () => string; exit: Promise<number | null>; exitedAt: () => number };
type Entry = { msg?: string; reason?: string; exitCode?: number; level?: number };

async function startConsole(env: Record<string, string> = {}): Promise<Run> {
  const port = await freePort();
  const { DATABASE_URL: _external, ...inherited } = process.env;
  // `npm start` in its own process group, as a terminal or a process manager runs it.
  const npm = spawn("npm", ["start", "--silent"], {
    // WC_KEEP_BUILD: the build beforeAll made serves every start, even if sources change meanwhile.
    env: {
      ...inherited,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_FORMAT: "json",
      WC_KEEP_BUILD: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let text = "";
  let exitedAt = 0;
  npm.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  npm.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exit = new Promise<number | null>((resolve) =>
    npm.once("exit", (code) => {
      exitedAt = Date.now();
      resolve(code);
    }),
  );
  const run: Run = { npm, origin: `http://127.0.0.1:${port}`, output: () => text, exit, exitedAt: () => exitedAt };
  runs.push(run);
  try {
    await waitFor(
      async () => {
        if (npm.exitCode !== null) throw new Error(`npm start exited early (${npm.exitCode})`);
        // Ready, and done printing its start-up lines (the last one names the signals).
        return text.includes("Stop with Ctrl-C or SIGTERM") && (await readiness(run)) === 200;
      },
      120_000,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; its output:\n${text.slice(-4000)}`);
  }
  return run;
}

/** waitFor, failing with the console's last output (what it said while the condition did not come). */
async function until<T>(run: Run, probe: () => Promise<T | undefined | null | false>, timeoutMs: number, intervalMs = 100): Promise<T> {
  try {
    return await waitFor(probe, timeoutMs, intervalMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; the console's output:\n${run.output().slice(-4000)}`);
  }
}

async function readiness(run: Run): Promise<number | null> {
  try {
    return (await fetch(`${run.origin}/api/health/ready`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return null;
  }
}

const api = (run: Run, route: string, body: unknown) =>
  fetch(`${run.origin}${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** The node process npm started (the start script `exec`s it, so it is npm's child). */
function nodeChildOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  const node = children.find((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").includes("scripts/console.ts"));
  if (!node) throw new Error(`no console process under npm ${pid}`);
  return node;
}

const entries = (text: string): Entry[] =>
  text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Entry];
      } catch {
        return [];
      }
    });

const owner = () => JSON.parse(readFileSync(path.join(dataDir, "owner.json"), "utf8")) as { postmasterPid: number; port: number };

/** Deliveries as the database has them once the console is gone (its embedded server, started here). */
async function deliveriesAfterExit() {
  const server = await startEmbeddedPostgres({ baseDir: dataDir });
  const client = new pg.Client({ connectionString: server.urlFor(EMBEDDED_DATABASE_NAME) });
  try {
    await client.connect();
    // A lease lives on the delivery's queue entry (lib/delivery/queue.ts), which a final result removes.
    const sql = `SELECT d.status, (SELECT count(*)::int FROM "DeliveryQueue" q WHERE q.id = d.id AND q."leaseOwner" IS NOT NULL) AS leased FROM "Delivery" d`;
    return (await client.query<{ status: string; leased: number }>(sql)).rows;
  } finally {
    await client.end().catch(() => {});
    await server.stop();
  }
}

beforeAll(async () => {
  // `npm test` built it for the e2e stage already; alone, this suite builds once here.
  buildIfStale((line) => console.log(`[faults] ${line}`));
  rmSync(dataDir, { recursive: true, force: true });
  receiver = await startReceiver(() => ({ status: 200, delayMs: 3_000 }));
}, 900_000);

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.npm.exitCode === null && run.npm.signalCode === null) {
      try {
        process.kill(-run.npm.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      await run.exit;
    }
  }
  receiver.setScript(() => ({ status: 200, delayMs: 3_000 }));
});

afterAll(async () => {
  await receiver?.close();
  // The last console's postmaster may outlive a SIGKILLed owner: the next start would take it over; stop it here.
  try {
    process.kill(owner().postmasterPid, "SIGQUIT");
  } catch {
    // none left
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("SIGTERM to npm: readiness 503 while draining, the delivery in flight finishes, exit 0 within 30 s, nothing leased", async () => {
    const run = await startConsole({ SHUTDOWN_DRAIN_MS: "2000", DELIVERY_TIMEOUT_MS: "10000" });
    const hook = await api(run, "/api/hooks", { name: "lifecycle", events: ["User.Created"], config: { url: receiver.url } });
    expect(hook.status).toBe(201);
    const before = receiver.requests.length;
    expect((await api(run, "/api/events", { event: "User.Created", data: { n: 1 } })).status).toBe(202);
    // At the receiver, unanswered for 3 s: in flight and leased when the signal arrives.
    await waitFor(async () => receiver.requests.length > before, 20_000);

    const signalledAt = Date.now();
    process.kill(run.npm.pid!, "SIGTERM");
    const during = await until(run, async () => ((await readiness(run)) === 503 ? 503 : null), 2_000, 50);
    expect(during).toBe(503);
    expect(await run.exit).toBe(0);
    expect(run.exitedAt() - signalledAt).toBeLessThan(30_000);

    const logged = entries(run.output());
    expect(logged.find((entry) => entry.reason === "SIGTERM")?.msg).toBe("SIGTERM: shutting down gracefully (a second signal forces exit)");
    expect(logged.some((entry) => entry.msg?.includes("Readiness is 503"))).toBe(true);
    expect(logged.at(-1)).toMatchObject({ msg: "stopped", exitCode: 0 });
    const rows = await deliveriesAfterExit();
    expect(rows).toEqual([{ status: "succeeded", leased: 0 }]);
  }, 240_000);

  it("SIGINT to the node process: exit 0", async () => {
    const run = await startConsole();
    const signalledAt = Date.now();
    process.kill(nodeChildOf(run.npm.pid!), "SIGINT");
    expect(await run.exit).toBe(0);
    expect(run.exitedAt() - signalledAt).toBeLessThan(30_000);
    expect(entries(run.output()).at(-1)).toMatchObject({ msg: "stopped", exitCode: 0 });
  }, 240_000);

  it("a second signal a second later forces exit (143) while a delivery is still in flight", async () => {
    receiver.setScript(() => ({ status: 200, delayMs: 25_000 }));
    const run = await startConsole({ DELIVERY_TIMEOUT_MS: "30000" });
    expect((await api(run, "/api/hooks", { name: "second signal", events: ["User.Created"], config: { url: receiver.url } })).status).toBe(
      201,
    );
    const before = receiver.requests.length;
    expect((await api(run, "/api/events", { event: "User.Created", data: { n: 2 } })).status).toBe(202);
    await waitFor(async () => receiver.requests.length > before, 20_000);
    const node = nodeChildOf(run.npm.pid!);
    process.kill(node, "SIGTERM");
    await waitFor(async () => run.output().includes("shutting down gracefully"), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const secondAt = Date.now();
    process.kill(node, "SIGTERM");
    expect(await run.exit).toBe(143);
    expect(run.exitedAt() - secondAt).toBeLessThan(5_000);
    expect(run.output()).toContain("second signal: exiting now");
  }, 240_000);

  it("PostgreSQL killed: readiness 503, the supervisor restarts it, ready again; when it cannot come back, exit 1 saying so", async () => {
    const run = await startConsole();
    const { postmasterPid } = owner();
    // While PG_VERSION is away the directory is no data directory: every restart fails, so the
    // outage lasts until it is put back (as the embedded fault suite does).
    const version = path.join(dataDir, "pg", "PG_VERSION");
    renameSync(version, `${version}.away`);
    process.kill(postmasterPid, "SIGKILL");
    expect(await until(run, async () => ((await readiness(run)) === 503 ? 503 : null), 10_000)).toBe(503);
    renameSync(`${version}.away`, version);
    await until(run, async () => (await readiness(run)) === 200, 60_000, 200);
    // Readiness answers once the new server accepts connections; the supervisor names it in
    // owner.json when its own start-up poll sees it, a moment later (under load, seconds later).
    const restartedPid = async () => {
      try {
        return owner().postmasterPid !== postmasterPid;
      } catch {
        return false; // read while being written
      }
    };
    await waitFor(restartedPid, 5_000).catch(() => {});
    expect(owner().postmasterPid).not.toBe(postmasterPid);
    // The log line and readiness's answer travel on different pipes: under load the answer can be
    // read first, so the line gets a few seconds to arrive before it is checked.
    const restartedLogged = () => entries(run.output()).some((entry) => entry.msg === "PostgreSQL restarted");
    await waitFor(async () => restartedLogged(), 5_000).catch(() => {});
    expect(restartedLogged()).toBe(true);

    // Now it cannot come back: the supervisor gives up after its backoff (about 16 s) and the
    // process exits 1 with a clear message.
    renameSync(version, `${version}.away`);
    try {
      const killedAt = Date.now();
      process.kill(owner().postmasterPid, "SIGKILL");
      expect(await run.exit).toBe(1);
      expect(run.exitedAt() - killedAt).toBeLessThan(60_000);
      const logged = entries(run.output());
      expect(logged.some((entry) => entry.msg === "PostgreSQL could not be restarted; giving up")).toBe(true);
      expect(logged.some((entry) => entry.msg === "the embedded PostgreSQL died and could not be restarted; stopping (exit code 1)")).toBe(
        true,
      );
      expect(logged.at(-1)).toMatchObject({ msg: "stopped", exitCode: 1 });
    } finally {
      renameSync(`${version}.away`, version);
    }
  }, 240_000);
});
