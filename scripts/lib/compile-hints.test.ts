import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { addCompileHints, COMPILE_HINT, startupChunks } from "./compile-hints";

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A `.next/` as Next 16 writes it, reduced to what the hints read: two manifests and three chunks. */
function fakeBuild() {
  dir = mkdtempSync(path.join(os.tmpdir(), "compile-hints-"));
  const chunks = path.join(dir, "static", "chunks");
  mkdirSync(chunks, { recursive: true });
  mkdirSync(path.join(dir, "server", "app", "(console)", "webhooks"), { recursive: true });
  writeFileSync(path.join(dir, "build-manifest.json"), JSON.stringify({ rootMainFiles: ["static/chunks/framework.js"] }));
  writeFileSync(
    path.join(dir, "server", "app", "(console)", "webhooks", "page_client-reference-manifest.js"),
    'globalThis.__RSC_MANIFEST=(globalThis.__RSC_MANIFEST||{});globalThis.__RSC_MANIFEST["/(console)/webhooks/page"]=' +
      JSON.stringify({
        entryJSFiles: { "[project]/app/layout": ["static/chunks/layout.js"], "[project]/app/page": ["static/chunks/layout.js"] },
      }) +
      ";",
  );
  writeFileSync(path.join(chunks, "framework.js"), "(()=>{})();");
  writeFileSync(path.join(chunks, "layout.js"), "self.x=1;\n//# sourceMappingURL=0abc.js.map");
  writeFileSync(path.join(chunks, "0abc.js.map"), JSON.stringify({ version: 3, sources: ["a.ts"], mappings: "AAAA" }));
  // Loaded by a dynamic import only (a modal, a chart): no hint.
  writeFileSync(path.join(chunks, "modal.js"), "self.y=2;");
  return chunks;
}

describe("compile hints", () => {
  it("finds the framework's chunks and the routes' entry chunks, not the dynamically imported ones", () => {
    fakeBuild();
    expect(startupChunks(dir)).toEqual(["static/chunks/framework.js", "static/chunks/layout.js"]);
  });

  it("puts the hint on the first line of each startup chunk, once, and shifts its source map by that line", () => {
    const chunks = fakeBuild();
    expect(addCompileHints(dir)).toEqual(["static/chunks/framework.js", "static/chunks/layout.js"]);
    expect(readFileSync(path.join(chunks, "framework.js"), "utf8")).toBe(`${COMPILE_HINT}(()=>{})();`);
    expect(readFileSync(path.join(chunks, "layout.js"), "utf8").startsWith(COMPILE_HINT)).toBe(true);
    expect(readFileSync(path.join(chunks, "modal.js"), "utf8")).toBe("self.y=2;");
    expect((JSON.parse(readFileSync(path.join(chunks, "0abc.js.map"), "utf8")) as { mappings: string }).mappings).toBe(";AAAA");
    // A second run (buildIfStale after a rebuild of some routes) leaves hinted chunks alone.
    expect(addCompileHints(dir)).toEqual([]);
    expect(readFileSync(path.join(chunks, "framework.js"), "utf8")).toBe(`${COMPILE_HINT}(()=>{})();`);
  });
});
