// V8's explicit compile hint on the chunks a page runs when it loads (mobile Lighthouse, issue 13).
//
// Why: traced with source maps, the longest task of the webhooks list's first load is Next's client
// bootstrap instantiating its modules (React DOM, the router, the RSC client) in one go, and most of
// it is V8 compiling each module's factory function on the main thread the first time it is called:
// the script was streamed and pre-parsed on a background thread, but a function is only compiled
// when it runs. `//# allFunctionsCalledOnLoad` at the top of a script (Chrome 136+; other engines
// ignore the comment) makes V8 compile all of its functions while it streams the script, off the
// main thread. Next has no option for it, so the build's output gets the line afterwards.
//
// Which chunks: the framework's (build-manifest.json `rootMainFiles`, every page) and each route's
// entry chunks (`entryJSFiles` of the client reference manifests: what a page's HTML loads). Not the
// chunks behind dynamic imports (the create modal, the menus, the charts): they load on use, and
// compiling all of their functions ahead would mostly be wasted work.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";

export const COMPILE_HINT = "//# allFunctionsCalledOnLoad\n";

type ClientReferenceManifest = Record<string, { entryJSFiles?: Record<string, string[]> }>;

function manifestFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return manifestFiles(full);
    return entry.endsWith("_client-reference-manifest.js") ? [full] : [];
  });
}

/** The chunks (paths relative to `.next/`) that pages load with their HTML. */
export function startupChunks(nextDir: string): string[] {
  const chunks = new Set<string>();
  const buildManifest = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as { rootMainFiles?: string[] };
  for (const file of buildManifest.rootMainFiles ?? []) chunks.add(file);
  for (const file of manifestFiles(path.join(nextDir, "server", "app"))) {
    // The manifest is a script that assigns to globalThis.__RSC_MANIFEST; run it in a bare context.
    const sandbox: { __RSC_MANIFEST?: ClientReferenceManifest } = {};
    vm.runInNewContext(readFileSync(file, "utf8"), { globalThis: sandbox, self: sandbox });
    for (const route of Object.values(sandbox.__RSC_MANIFEST ?? {})) {
      for (const files of Object.values(route.entryJSFiles ?? {})) for (const chunk of files) chunks.add(chunk);
    }
  }
  return [...chunks].filter((chunk) => chunk.endsWith(".js")).sort();
}

/**
 * Puts the hint on the first line of each startup chunk (once: a second call changes nothing). A
 * chunk's source map, when the build made one (WC_SOURCE_MAPS=1), gets one empty line in front so
 * it still points at the right code. Returns the chunks it changed.
 */
export function addCompileHints(nextDir: string): string[] {
  const changed: string[] = [];
  for (const chunk of startupChunks(nextDir)) {
    const file = path.join(nextDir, chunk);
    if (!existsSync(file)) continue;
    const code = readFileSync(file, "utf8");
    if (code.startsWith(COMPILE_HINT)) continue;
    writeFileSync(file, COMPILE_HINT + code);
    const mapName = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
    const mapFile = mapName && !mapName.startsWith("data:") ? path.join(path.dirname(file), mapName) : undefined;
    if (mapFile && existsSync(mapFile)) {
      const map = JSON.parse(readFileSync(mapFile, "utf8")) as { mappings?: string; sections?: { offset: { line: number } }[] };
      if (typeof map.mappings === "string") map.mappings = `;${map.mappings}`;
      for (const section of map.sections ?? []) section.offset.line += 1;
      writeFileSync(mapFile, JSON.stringify(map));
    }
    changed.push(chunk);
  }
  return changed;
}
