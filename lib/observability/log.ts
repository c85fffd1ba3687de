// The process's one logger (pino): JSON lines for log collectors, or a compact readable line per
// entry in a terminal (`npm run dev`, or LOG_FORMAT=pretty). Everything goes through
// process.stdout.write, not straight to the file descriptor, so output captures (the secrets test)
// see it like any other print. Identical warnings and errors repeated within a window are printed
// once, then summarised with their count: a database outage printed ~50 lines a second before.
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type Level, type Logger } from "pino";

export type { Logger };

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
type LevelName = (typeof LEVELS)[number];

/** How long an identical warning or error stays collapsed after it was first printed. */
export const REPEAT_WINDOW_MS = 10_000;
/** Distinct messages tracked at once; past this new ones are printed uncollapsed. */
const MAX_TRACKED = 500;

type RequestContext = { requestId: string };
type Repeat = { count: number; timer: NodeJS.Timeout; flush: () => void };
type LogState = { root: Logger; context: AsyncLocalStorage<RequestContext>; repeats: Map<string, Repeat> };

// One instance per process: the lean HTTP path (tsx) and Next's bundle each load this module.
const globalForLog = globalThis as unknown as { webhookConsoleLog?: LogState };

function levelFromEnv(): LevelName {
  const wanted = (process.env.LOG_LEVEL ?? "").trim().toLowerCase();
  return (LEVELS as readonly string[]).includes(wanted) ? (wanted as LevelName) : "info";
}

function prettyByDefault() {
  const wanted = process.env.LOG_FORMAT?.trim().toLowerCase();
  if (wanted === "json") return false;
  if (wanted === "pretty") return true;
  return Boolean(process.stdout.isTTY);
}

const LEVEL_LABELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };
const LEVEL_COLOURS: Record<number, string> = { 10: "90", 20: "90", 30: "32", 40: "33", 50: "31", 60: "35" };
const OMITTED_FIELDS = new Set(["level", "time", "pid", "hostname", "component", "msg", "err"]);

/** One JSON entry as `12:00:01.234 INFO  [worker] message key=value`, plus an error's stack. */
export function prettyLine(line: string, colours = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof entry.level === "number" ? entry.level : 30;
  const time = typeof entry.time === "number" ? new Date(entry.time).toISOString().slice(11, 23) : "";
  const label = colours
    ? `\x1b[${LEVEL_COLOURS[level] ?? "0"}m${LEVEL_LABELS[level] ?? level}\x1b[0m`
    : (LEVEL_LABELS[level] ?? String(level));
  const component = typeof entry.component === "string" ? `[${entry.component}] ` : "";
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const err = entry.err as { stack?: unknown; message?: unknown } | undefined;
  const stack = err
    ? `\n    ${String(err.stack ?? err.message)
        .split("\n")
        .join("\n    ")}`
    : "";
  return `${time} ${label} ${component}${String(entry.msg ?? "")}${fields.length ? ` ${fields.join(" ")}` : ""}${stack}\n`;
}

function createRoot(context: AsyncLocalStorage<RequestContext>, repeats: Map<string, Repeat>): Logger {
  const pretty = prettyByDefault();
  const colours = pretty && Boolean(process.stdout.isTTY);
  const destination = { write: (line: string) => void process.stdout.write(pretty ? prettyLine(line, colours) : line) };
  return pino(
    {
      level: levelFromEnv(),
      base: { pid: process.pid },
      // Credentials never belong in a log; these paths are a second line of defence.
      redact: { paths: ["password", "apiKey", "signingKey", "token", "*.authorization", "*.cookie", "*.password"], censor: "[redacted]" },
      mixin: () => {
        const store = context.getStore();
        return store ? { reqId: store.requestId } : {};
      },
      hooks: {
        logMethod(args, method, level) {
          if (level < 40) return method.apply(this, args);
          const [first, second] = args as unknown[];
          const message = typeof first === "string" ? first : typeof second === "string" ? second : "";
          const error = first instanceof Error ? first : (first as { err?: unknown } | undefined)?.err;
          const detail = error instanceof Error ? error.message : "";
          const key = `${level}\u0000${JSON.stringify(this.bindings())}\u0000${message}\u0000${detail}`;
          const seen = repeats.get(key);
          if (seen) {
            seen.count++;
            return;
          }
          method.apply(this, args);
          if (repeats.size >= MAX_TRACKED) return;
          const flush = () => {
            clearTimeout(entry.timer);
            repeats.delete(key);
            if (entry.count === 0) return;
            const seconds = Math.round(REPEAT_WINDOW_MS / 1000);
            method.apply(this, [
              { repeated: entry.count, ...(detail ? { error: detail } : {}) },
              `${message} (repeated ${entry.count} more times in ${seconds} s)`,
            ]);
          };
          const entry: Repeat = { count: 0, timer: setTimeout(flush, REPEAT_WINDOW_MS), flush };
          entry.timer.unref?.();
          repeats.set(key, entry);
        },
      },
    },
    destination,
  );
}

function state(): LogState {
  if (!globalForLog.webhookConsoleLog) {
    const context = new AsyncLocalStorage<RequestContext>();
    const repeats = new Map<string, Repeat>();
    globalForLog.webhookConsoleLog = { root: createRoot(context, repeats), context, repeats };
  }
  return globalForLog.webhookConsoleLog;
}

/** The logger of one part of the system: its entries carry `component`. */
export function logger(component: string): Logger {
  return state().root.child({ component });
}

/** A `(line) => void` for the APIs that take a plain log function, printing at `level`. */
export function lineLogger(component: string, level: Level = "info"): (line: string) => void {
  const log = logger(component);
  return (line: string) => log[level](line);
}

/** Prints the pending "repeated N times" summaries now (shutdown; tests). */
export function flushRepeatedLogs() {
  for (const repeat of [...state().repeats.values()]) repeat.flush();
}

/** Runs `fn` with `requestId` attached to every entry logged inside it, across awaits. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return state().context.run({ requestId }, fn);
}

/** The current request's id, when inside `withRequestId`. */
export const currentRequestId = () => state().context.getStore()?.requestId;

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token, else a new one. */
export function requestIdFrom(header: string | string[] | null | undefined, generate: () => string): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : generate();
}
