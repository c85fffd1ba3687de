// What failed in an `npm test` run, one short record per failure, for the "Failures" block that
// scripts/test.ts prints right before its final "N passed, N failed" line. CI shows only the last
// lines of the output, and a failure's own report scrolls away behind the later stages' logs.
import { z } from "zod";

export const failureSchema = z.object({
  /** The npm test stage: unit, faults, e2e-pages, static… */
  stage: z.string(),
  /** A test file relative to the repository, or a check's name (typecheck, lint, format). */
  file: z.string(),
  /** The test's full name, or what failed outside a test ("beforeAll in …", "unhandled error"). */
  test: z.string(),
  /** The first lines of its error. */
  error: z.array(z.string()),
});
export type Failure = z.infer<typeof failureSchema>;

/** What the vitest failure reporter writes (lib/testing/failure-reporter.ts). */
export const failureFileSchema = z.object({ failures: z.array(failureSchema.omit({ stage: true })) });

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const STACK_FRAME = /^\s*(at |❯ )/;

/** The first `count` lines of an error worth reading: no colour codes, blank lines or stack frames. */
export function firstLines(text: string, count = 3): string[] {
  return text
    .replace(ANSI, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !STACK_FRAME.test(line))
    .slice(0, count)
    .map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
}

const jsonError = z.object({ message: z.string().optional(), stack: z.string().optional() });
type PlaywrightSuite = {
  title: string;
  file: string;
  specs: { title: string; file: string; line: number; tests: { status: string; results: { error?: z.infer<typeof jsonError> }[] }[] }[];
  suites?: PlaywrightSuite[];
};
const playwrightSuite: z.ZodType<PlaywrightSuite> = z.lazy(() =>
  z.object({
    title: z.string(),
    file: z.string(),
    specs: z.array(
      z.object({
        title: z.string(),
        file: z.string(),
        line: z.number(),
        tests: z.array(z.object({ status: z.string(), results: z.array(z.object({ error: jsonError.optional() })) })),
      }),
    ),
    suites: z.array(playwrightSuite).optional(),
  }),
);
const playwrightReport = z.object({ suites: z.array(playwrightSuite), errors: z.array(jsonError).default([]) });

/**
 * The failures in a Playwright JSON report: every test whose outcome was unexpected (a flaky one
 * passed on a retry and is not listed), and the run's own errors (a web server that never came up,
 * a spec that does not compile).
 */
export function playwrightFailures(stage: string, report: unknown): Failure[] {
  const { suites, errors } = playwrightReport.parse(report);
  const failures: Failure[] = errors.map((error) => ({
    stage,
    file: "(run)",
    test: "Playwright run error",
    error: firstLines(error.message ?? error.stack ?? ""),
  }));
  const walk = (suite: PlaywrightSuite, titles: string[]) => {
    for (const spec of suite.specs) {
      for (const test of spec.tests) {
        if (test.status !== "unexpected") continue;
        const last = test.results.at(-1)?.error;
        failures.push({
          stage,
          file: `${spec.file}:${spec.line}`,
          test: [...titles, spec.title].join(" › "),
          error: firstLines(last?.message ?? last?.stack ?? "(no error message)"),
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  // A top-level suite is the spec file itself: its title is the file name, already in `file`.
  for (const suite of suites) walk(suite, []);
  return failures;
}

/** The block printed before the final count: nothing when nothing failed. */
export function failuresBlock(failures: Failure[]): string {
  if (failures.length === 0) return "";
  const lines = [`Failures (${failures.length}):`];
  for (const failure of failures) {
    lines.push(`  ✗ [${failure.stage}] ${failure.file} › ${failure.test}`);
    for (const line of failure.error) lines.push(`      ${line}`);
  }
  return `${lines.join("\n")}\n`;
}
