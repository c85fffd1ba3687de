// Captures what the process would print (console and raw stdout/stderr writes), formatted the way
// Node prints it but with nested objects in full, so a secret buried in a logged error is found.
import { formatWithOptions } from "node:util";
import { vi } from "vitest";

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

export type CapturedOutput = {
  text(): string;
  restore(): void;
};

export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const record = (...args: unknown[]) => {
    chunks.push(formatWithOptions({ depth: Infinity, colors: false }, ...args));
  };
  const writeTo = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const spies = [
    ...CONSOLE_METHODS.map((method) => vi.spyOn(console, method).mockImplementation(record)),
    vi.spyOn(process.stdout, "write").mockImplementation(writeTo),
    vi.spyOn(process.stderr, "write").mockImplementation(writeTo),
  ];
  return {
    text: () => chunks.join("\n"),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
