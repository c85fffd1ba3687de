// Supervised embedded PostgreSQL (issue 11 item 4): a postmaster killed under the app is restarted
// with backoff (queries fail meanwhile, then work again on the same URL); one that cannot come back
// makes the supervisor give up (the entry points then exit 1); a server left by a dead owner (an
// OOM kill of node) is taken over on the next start; a previous instance still shutting down is
// waited for; a second live instance on the same directory is refused.
import { spawn, type ChildProcess } from "node:child_process";
import { renameSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirectoryLockedError, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/db/embedded";
import { entryArgs } from "@/lib/testing/entries";
import { waitFor } from "@/lib/testing/wait";

const dirs: string[] = [];
const servers: EmbeddedDatabase[] = [];
const children: ChildProcess[] = [];

function freshDir(label: string) {
  const dir = path.resolve(`.data/faults-pg-${label}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  dirs.push(dir);
  return dir;
}

async function start(baseDir: string, supervise?: Parameters<typeof startEmbeddedPostgres>[0]["supervise"]) {
  const server = await startEmbeddedPostgres({ baseDir, supervise });
  servers.push(server);
  return server;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.query("SELECT 1 AS one")).rows[0]?.one === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A separate process owning a server on `baseDir`; resolves with its postmaster's pid. */
function owner(baseDir: string): Promise<{ child: ChildProcess; postmaster: number }> {
  const child = spawn(process.execPath, entryArgs("lib/faults/embedded-owner-fixture.ts"), {
    env: { ...process.env, FAULTS_PG_DIR: baseDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /READY (\d+)/.exec(text);
      if (match) resolve({ child, postmaster: Number(match[1]) });
    });
    child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("exit", () => reject(new Error(`owner exited before it was ready:\n${text}`)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop().catch(() => {});
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("supervised embedded PostgreSQL", () => {
  it("restarts a killed postmaster on the same URL; queries fail meanwhile, then work", async () => {
    const server = await start(freshDir("restart"), { onGiveUp: () => {}, backoffMs: [100, 200, 400, 800, 1_600] });
    const first = server.pid()!;
    expect(await answers(server.adminUrl)).toBe(true);
    process.kill(first, "SIGKILL");
    await waitFor(async () => server.state() === "restarting", 5_000);
    await waitFor(async () => server.state() === "up" && (await answers(server.adminUrl)), 60_000, 100);
    expect(server.pid()).not.toBe(first);
  }, 90_000);

  it("gives up (onGiveUp) when the postmaster cannot come back", async () => {
    const baseDir = freshDir("giveup");
    let gaveUp: Error | null = null;
    const server = await start(baseDir, { onGiveUp: (error) => (gaveUp = error), backoffMs: [50, 100, 200] });
    // The data directory stops being one: every restart fails.
    renameSync(path.join(baseDir, "pg", "PG_VERSION"), path.join(baseDir, "pg", "PG_VERSION.moved"));
    process.kill(server.pid()!, "SIGKILL");
    await waitFor(async () => gaveUp, 60_000, 100);
    expect(String(gaveUp)).toMatch(/failed to start/);
    expect(server.state()).toBe("stopped");
  }, 90_000);

  it("takes over from an owner that died without stopping its server (kill -9 of node)", async () => {
    const baseDir = freshDir("orphan");
    const { child, postmaster } = await owner(baseDir);
    child.kill("SIGKILL");
    await waitFor(async () => child.exitCode !== null || child.signalCode !== null, 5_000);
    expect(alive(postmaster)).toBe(true); // the orphan lives on, as after an OOM kill
    const server = await start(baseDir);
    expect(alive(postmaster)).toBe(false);
    expect(await answers(server.adminUrl)).toBe(true);
  }, 90_000);

  it("refuses a second live instance on the same directory", async () => {
    const baseDir = freshDir("second");
    const { postmaster } = await owner(baseDir);
    await expect(start(baseDir)).rejects.toBeInstanceOf(DataDirectoryLockedError);
    expect(alive(postmaster)).toBe(true);
  }, 90_000);

  it("waits for a previous instance that is still shutting down", async () => {
    const baseDir = freshDir("handover");
    const { child } = await owner(baseDir);
    child.kill("SIGTERM"); // it stops its server (marked as stopping), and a new start begins at once
    const server = await start(baseDir);
    expect(await answers(server.adminUrl)).toBe(true);
  }, 90_000);
});
