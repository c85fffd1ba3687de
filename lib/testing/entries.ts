// The child processes tests start (delivery workers, the fault suite's receivers and fixtures) run
// from an esbuild bundle of their entry point, built once per vitest run by its globalSetup, rather
// than through tsx: tsx's loader cost about 0.7 s of CPU at every start (resolving and reading each
// module through its hooks), and the fault suite starts a worker every 1-2 s while it SIGKILLs them.
// The bundle is the same source (node_modules stay external, loaded as at run time); a test run
// without the globalSetup (no bundles named) starts them through tsx as `npm run worker` does.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";

const ENV = "WC_TEST_ENTRY_BUNDLES";
const repoRoot = path.resolve(import.meta.dirname, "../..");

/**
 * Bundles each entry into `outDir` (inside the repository, so their imports of node_modules resolve
 * as they do from the sources) and names the bundles in the environment, which the vitest workers
 * forked after this inherit. Returns the clean-up.
 */
export function bundleEntries(entries: string[], outDir: string): () => void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundles: Record<string, string> = {};
  entries.forEach((entry, n) => {
    const source = path.resolve(repoRoot, entry);
    const outfile = path.join(outDir, `${n}-${path.basename(source, ".ts")}.mjs`);
    buildSync({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      tsconfig: path.join(repoRoot, "tsconfig.json"),
      logLevel: "warning",
    });
    bundles[source] = outfile;
  });
  process.env[ENV] = JSON.stringify(bundles);
  return () => {
    delete process.env[ENV];
    rmSync(outDir, { recursive: true, force: true });
  };
}

function bundles(): Record<string, string> {
  const named = process.env[ENV];
  return named ? (JSON.parse(named) as Record<string, string>) : {};
}

/** The node arguments that run `entry` (a .ts file): its bundle when this run built one, else through tsx. */
export function entryArgs(entry: string): string[] {
  const source = path.resolve(repoRoot, entry);
  const bundle = bundles()[source];
  return bundle ? [bundle] : ["--import", "tsx", source];
}
