// `npm run worker` stops gracefully on SIGINT and SIGTERM, sent to the npm process or to the node
// process alike: exit code 0, its stop logged, every in-flight delivery finished or released (none
// left leased), and a second signal forces exit. Real processes, a real receiver, real PostgreSQL.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ctx, db } from "@/lib/testing/context";
import { emit } from "@/lib/events/service";
import { createTestHook } from "@/lib/testing/hooks";
import { startReceiver, type Receiver } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { waitFor } from "@/lib/testing/wait";
import { z } from "zod";

let receiver: Receiver;

beforeAll(async () => {
  // Slow answers keep deliveries in flight when the signal arrives.
  receiver = await startReceiver(() => ({ status: 200, delayMs: 1_500 }));
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  await resetDatabase();
  receiver.requests.length = 0;
});

type Run = { npm: ChildProcess; output: () => string; exit: Promise<number | null> };

function runWorker(extraEnv: Record<string, string> = {}): Run {
  // `npm run worker` as a user or a process manager runs it (its own process group, as in a terminal).
  const npm = spawn("npm", ["run", "--silent", "worker"], {
    env: {
      ...process.env,
      DATABASE_URL: ctx.databaseUrl,
      LOG_FORMAT: "json",
      DELIVERY_TIMEOUT_MS: "5000",
      DELIVERY_CONCURRENCY: "8",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let text = "";
  npm.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  npm.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exit = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  return { npm, output: () => text, exit };
}

/** The node process npm started (npm's script line `exec`s it, so it is npm's child). */
function nodeChildOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  const node = children.find((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").includes("scripts/worker.ts"));
  if (!node) throw new Error(`no worker process under npm ${pid}`);
  return node;
}

/** What the tests read of a JSON log line. */
const logLineSchema = z.looseObject({
  msg: z.string().optional(),
  reason: z.string().optional(),
  exitCode: z.number().optional(),
  level: z.number().optional(),
});

const entries = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => logLineSchema.parse(JSON.parse(line)));

async function inFlightRun(extraEnv?: Record<string, string>) {
  const hook = await createTestHook({ url: receiver.url });
  for (let n = 0; n < 6; n++) await emit(ctx, { event: "User.Created", data: { n } });
  const run = runWorker(extraEnv);
  await waitFor(async () => run.output().includes("Started"), 60_000);
  // Deliveries are at the receiver, unanswered: in flight and leased.
  await waitFor(async () => receiver.requests.length >= 6, 20_000);
  expect(await db.deliveryQueue.count({ where: { hookId: hook.id, leaseOwner: { not: null } } })).toBeGreaterThan(0);
  return { run, hook };
}

describe("npm run worker", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    for (const target of ["npm", "node"] as const) {
      it(`${signal} to the ${target} process: in-flight deliveries finish, exit 0`, async () => {
        const { run, hook } = await inFlightRun();
        process.kill(target === "npm" ? run.npm.pid! : nodeChildOf(run.npm.pid!), signal);
        expect(await run.exit).toBe(0);
        const logged = entries(run.output());
        expect(logged.find((entry) => entry.reason === signal)?.msg).toBe(
          `${signal}: shutting down gracefully (a second signal forces exit)`,
        );
        expect(logged.some((entry) => entry.msg?.startsWith("Stopped after 6 attempt(s): 6 succeeded"))).toBe(true);
        expect(logged.at(-1)).toMatchObject({ msg: "stopped", exitCode: 0 });
        expect(await db.deliveryQueue.count({ where: { hookId: hook.id, leaseOwner: { not: null } } })).toBe(0);
        expect(await db.delivery.count({ where: { hookId: hook.id, status: "succeeded" } })).toBe(6);
      }, 120_000);
    }
  }

  it("a second signal (a second later) forces exit with 143", async () => {
    const { run, hook } = await inFlightRun();
    const node = nodeChildOf(run.npm.pid!);
    process.kill(node, "SIGTERM");
    await waitFor(async () => run.output().includes("shutting down gracefully"), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    process.kill(node, "SIGTERM");
    expect(await run.exit).toBe(143);
    expect(run.output()).toContain("second signal: exiting now");
    // Forced: what was in flight keeps its lease until it expires (at-least-once, nothing lost).
    expect(await db.delivery.count({ where: { hookId: hook.id } })).toBe(6);
  }, 120_000);
});
