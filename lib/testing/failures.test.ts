// The "Failures" block of npm test: what it lists, from vitest (through the failure reporter) and
// from Playwright's JSON report, and how it is printed.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Failure, failureFileSchema, failuresBlock, firstLines, playwrightFailures } from "./failures";

const repoRoot = path.resolve(import.meta.dirname, "../..");

describe("firstLines", () => {
  it("keeps the message lines: no colour codes, blank lines or stack frames", () => {
    const text = "\u001b[31mError: boom\u001b[39m\n\n    at thing (/x.ts:1:2)\n ❯ other.ts:3:4\nsecond\nthird\nfourth";
    expect(firstLines(text)).toEqual(["Error: boom", "second", "third"]);
    expect(firstLines(text, 2)).toEqual(["Error: boom", "second"]);
  });
  it("cuts a very long line", () => {
    const [line] = firstLines("x".repeat(500));
    expect(line).toHaveLength(200);
    expect(line?.endsWith("…")).toBe(true);
  });
});

describe("playwrightFailures", () => {
  const spec = (title: string, status: string, message?: string) => ({
    title,
    file: "flows.spec.ts",
    line: 7,
    tests: [{ status, results: [{ error: message === undefined ? undefined : { message } }] }],
  });
  it("lists unexpected tests with their suite titles and the run's own errors, not flaky or passed ones", () => {
    const report = {
      suites: [
        {
          title: "flows.spec.ts",
          file: "flows.spec.ts",
          specs: [spec("passes", "expected"), spec("retried", "flaky", "first try failed")],
          suites: [
            {
              title: "group",
              file: "flows.spec.ts",
              specs: [spec("breaks", "unexpected", "Error: expect(locator).toBeVisible() failed\n\nLocator: x")],
            },
          ],
        },
      ],
      errors: [{ message: "Error: Timed out waiting 240000ms from config.webServer." }],
    };
    expect(playwrightFailures("e2e-flows", report)).toEqual([
      {
        stage: "e2e-flows",
        file: "(run)",
        test: "Playwright run error",
        error: ["Error: Timed out waiting 240000ms from config.webServer."],
      },
      {
        stage: "e2e-flows",
        file: "flows.spec.ts:7",
        test: "group › breaks",
        error: ["Error: expect(locator).toBeVisible() failed", "Locator: x"],
      },
    ]);
  });
  it("rejects a report of another shape instead of listing nothing", () => {
    expect(() => playwrightFailures("e2e", { stats: {} })).toThrow();
  });
});

describe("failuresBlock", () => {
  it("prints nothing when nothing failed, else one line per failure and its error lines", () => {
    expect(failuresBlock([])).toBe("");
    const failures: Failure[] = [
      { stage: "unit", file: "lib/a.test.ts", test: "a > b", error: ["AssertionError: x", "expected 1, received 2"] },
      { stage: "static", file: "format", test: "prettier --check", error: ["[warn] lib/x.ts"] },
    ];
    expect(failuresBlock(failures)).toBe(
      [
        "Failures (2):",
        "  ✗ [unit] lib/a.test.ts › a > b",
        "      AssertionError: x",
        "      expected 1, received 2",
        "  ✗ [static] format › prettier --check",
        "      [warn] lib/x.ts",
        "",
      ].join("\n"),
    );
  });
});

describe("the vitest failure reporter", () => {
  // A throwaway project inside the repository (so `vitest` resolves), run by a real vitest.
  mkdirSync(path.join(repoRoot, ".data"), { recursive: true });
  const dir = mkdtempSync(path.join(repoRoot, ".data", "failure-reporter-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names failed tests, failed hooks, files that do not load and unhandled errors", async () => {
    writeFileSync(path.join(dir, "vitest.config.mjs"), `export default { test: { include: ["*.check.ts"] } };\n`);
    writeFileSync(
      path.join(dir, "a.check.ts"),
      `import { beforeAll, describe, expect, it } from "vitest";
describe("hooked", () => {
  beforeAll(() => { throw new Error("setup broke"); });
  it("never runs", () => {});
});
describe("outer", () => {
  it("fails", () => { expect({ a: 1 }).toEqual({ a: 2 }); });
  it("passes", () => {});
});
it("throws later", async () => {
  setTimeout(() => { throw new Error("late boom"); }, 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
});
`,
    );
    writeFileSync(path.join(dir, "b.check.ts"), `import "./missing-module";\n`);
    const failureFile = path.join(dir, "failures.json");
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(repoRoot, "node_modules/vitest/vitest.mjs"),
          "run",
          "--root",
          dir,
          "--config",
          path.join(dir, "vitest.config.mjs"),
          `--reporter=${path.join(repoRoot, "lib/testing/failure-reporter.ts")}`,
        ],
        // Not this worker's VITEST_* variables: the child is a run of its own.
        {
          cwd: dir,
          stdio: "ignore",
          env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", WC_FAILURES_FILE: failureFile },
        },
      );
      child.once("close", resolve);
    });
    expect(status).toBe(1);
    const { failures } = failureFileSchema.parse(JSON.parse(readFileSync(failureFile, "utf8")));
    const byTest = Object.fromEntries(failures.map((failure) => [`${failure.file} ${failure.test}`, failure.error]));
    expect(byTest).toEqual({
      "a.check.ts hooked (a hook of the suite)": ["Error: setup broke"],
      "a.check.ts outer > fails": [
        "AssertionError: expected { a: 1 } to deeply equal { a: 2 }",
        'expected { "a": 2, }, received { "a": 1, }',
      ],
      "b.check.ts (the file itself: load or top-level hook)": [expect.stringContaining("Cannot find module './missing-module'")],
      'a.check.ts unhandled error (during or after "throws later")': ["Error: late boom"],
    });
  });
});
