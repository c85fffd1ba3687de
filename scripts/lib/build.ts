// `next build` only when the sources are newer than the last build, then V8's compile hint on the
// chunks pages load (compile-hints.ts).
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { addCompileHints } from "./compile-hints";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
const SOURCES = ["app", "components", "lib", "next.config.mjs", "package.json", "postcss.config.mjs", "prisma/schema.prisma"];

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (target: string) => {
    if (!existsSync(target)) return;
    const stat = statSync(target);
    if (!stat.isDirectory()) {
      if (!/\.test\.tsx?$/.test(target)) newest = Math.max(newest, stat.mtimeMs);
      return;
    }
    for (const entry of readdirSync(target)) {
      if (entry !== "generated" && !entry.startsWith(".")) visit(path.join(target, entry));
    }
  };
  for (const entry of SOURCES) visit(path.join(repoRoot, entry));
  return newest;
}

/** Whether `next build` has to run: no build yet, or sources newer than it. */
function isStale() {
  const buildId = path.join(repoRoot, ".next", "BUILD_ID");
  // Set by the bench for the servers it starts after its own build: one build for the whole run,
  // even when sources are edited meanwhile.
  if (process.env.WC_KEEP_BUILD === "1" && existsSync(buildId)) return false;
  return !(existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceMtime());
}

const NEXT = path.join(repoRoot, "node_modules/next/dist/bin/next");
const buildEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  ...extra,
});

function finish(log: (line: string) => void, started: number) {
  const hinted = addCompileHints(path.join(repoRoot, ".next"));
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s (${hinted.length} startup chunks with V8's compile hint)`);
}

export function buildIfStale(log: (line: string) => void) {
  if (!isStale()) return false;
  log("Building the console (first run or sources changed)…");
  const started = Date.now();
  const result = spawnSync(process.execPath, [NEXT, "build"], { cwd: repoRoot, stdio: "inherit", env: buildEnv({}) });
  if (result.status !== 0) throw new Error("next build failed");
  finish(log, started);
  return true;
}

/**
 * buildIfStale without blocking this process (npm test runs the unit stage meanwhile): the build's
 * output goes to `logFile`, `env` is added to its environment only.
 */
export async function buildIfStaleInBackground(log: (line: string) => void, logFile: string, env: Record<string, string> = {}) {
  if (!isStale()) return false;
  log(`Building the console (first run or sources changed; ${path.relative(repoRoot, logFile)})…`);
  const started = Date.now();
  const fd = openSync(logFile, "w");
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [NEXT, "build"], { cwd: repoRoot, stdio: ["ignore", fd, fd], env: buildEnv(env) });
    child.once("close", (code) => resolve(code));
    child.once("error", () => resolve(null));
  }).finally(() => closeSync(fd));
  if (status !== 0) throw new Error(`next build failed (${path.relative(repoRoot, logFile)})`);
  finish(log, started);
  return true;
}
