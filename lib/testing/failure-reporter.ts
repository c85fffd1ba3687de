// A vitest reporter that writes every failure of the run to WC_FAILURES_FILE (JSON, checked by
// failureFileSchema), for scripts/test.ts's "Failures" block. Vitest's own JSON report drops what
// failed outside a test: a hook's error (its tests count as skipped), a file that did not load, an
// unhandled error after a test had passed. Those fail the run, so they are listed here too.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { SerializedError } from "@vitest/utils";
import type { Reporter, TestModule, TestSuite } from "vitest/node";
import { firstLines, type Failure } from "./failures";

type Entry = Omit<Failure, "stage">;

/** The error's first lines; for a failed `expect`, what was expected and what came instead. */
function message(error: SerializedError | undefined): string[] {
  if (!error) return ["(no error)"];
  const named = error.name && !error.message.startsWith(error.name) ? `${error.name}: ${error.message}` : error.message;
  const lines = firstLines(named);
  const { expected, actual } = error;
  if (lines.length < 3 && typeof expected === "string" && typeof actual === "string") {
    const flat = (value: string) => value.replace(/\s+/g, " ").trim();
    lines.push(`expected ${flat(expected)}, received ${flat(actual)}`.slice(0, 200));
  }
  return lines;
}

export default class FailureReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    const file = process.env.WC_FAILURES_FILE;
    if (!file) return;
    const failures: Entry[] = [];
    const relative = (moduleId: string) => path.relative(process.cwd(), moduleId);
    for (const testModule of modules) {
      const where = relative(testModule.moduleId);
      // Collection errors (an import or syntax error) and the file's own beforeAll/afterAll.
      for (const error of testModule.errors())
        failures.push({ file: where, test: "(the file itself: load or top-level hook)", error: message(error) });
      const suites: TestSuite[] = [...testModule.children.allSuites()];
      for (const suite of suites) {
        for (const error of suite.errors())
          failures.push({ file: where, test: `${suite.fullName} (a hook of the suite)`, error: message(error) });
      }
      for (const test of testModule.children.allTests("failed")) {
        const result = test.result();
        failures.push({ file: where, test: test.fullName, error: message(result.state === "failed" ? result.errors[0] : undefined) });
      }
    }
    for (const error of unhandledErrors) {
      // Vitest names the file and test that were running when it was thrown, when it knows them.
      const testPath = error.VITEST_TEST_PATH;
      const testName = error.VITEST_TEST_NAME;
      failures.push({
        file: typeof testPath === "string" ? relative(testPath) : "(unknown file)",
        test: `unhandled error${typeof testName === "string" ? ` (during or after "${testName}")` : ""}`,
        error: message(error),
      });
    }
    writeFileSync(file, `${JSON.stringify({ failures }, null, 2)}\n`);
  }
}
