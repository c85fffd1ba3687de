// `next build` only when the sources are newer than the last build, then V8's compile hint on the
// chunks pages load (compile-hints.ts).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
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

export function buildIfStale(log: (line: string) => void) {
  const buildId = path.join(repoRoot, ".next", "BUILD_ID");
  // Set by the bench for the servers it starts after its own build: one build for the whole run,
  // even when sources are edited meanwhile.
  if (process.env.WC_KEEP_BUILD === "1" && existsSync(buildId)) return false;
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceMtime()) return false;
  log("Building the console (first run or sources changed)…");
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/next/dist/bin/next"), "build"], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
  const hinted = addCompileHints(path.join(repoRoot, ".next"));
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s (${hinted.length} startup chunks with V8's compile hint)`);
  return true;
}
