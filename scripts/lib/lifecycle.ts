// Signals for the long-running entry points (`npm start`, `npm run worker`). npm forwards SIGINT
// and SIGTERM to the node process it started, and a terminal's Ctrl-C reaches both: the first
// signal starts a graceful stop (bounded by the caller's grace period), a second one at least a
// second later forces exit. A process whose parent went away (npm or its shell killed) stops too,
// instead of living on unseen.
import { flushRepeatedLogs, logger } from "../../lib/observability/log";

/** Signals closer together than this are one signal delivered twice (npm's forwarding plus the terminal's). */
const SAME_SIGNAL_MS = 1_000;
const FORCED_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export type Shutdown = (reason: string, exitCode?: number) => Promise<void>;

/**
 * Installs the handlers; `stop` does the component's work (stop accepting, finish or release
 * in-flight work, database last). Returns the shutdown function, for other reasons to stop (the
 * embedded database lost for good).
 */
export function handleShutdown(component: string, stop: (reason: string) => Promise<void>): Shutdown {
  const log = logger(component);
  let firstSignalAt = 0;
  let stopping: Promise<void> | null = null;

  const shutdown: Shutdown = (reason, exitCode = 0) => {
    stopping ??= (async () => {
      log.info({ reason }, `${reason}: shutting down gracefully (a second signal forces exit)`);
      const started = Date.now();
      try {
        await stop(reason);
      } catch (error) {
        log.error({ err: error }, "shutdown failed");
        exitCode = exitCode || 1;
      }
      log.info({ durationMs: Date.now() - started, exitCode }, "stopped");
      flushRepeatedLogs();
      process.exit(exitCode);
    })();
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) {
      firstSignalAt = Date.now();
      void shutdown(signal);
      return;
    }
    if (Date.now() - firstSignalAt < SAME_SIGNAL_MS) return;
    log.warn({ signal }, "second signal: exiting now; deliveries still in flight are taken over when their lease expires");
    flushRepeatedLogs();
    process.exit(FORCED_EXIT_CODES[signal] ?? 1);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  // Orphaned (npm or the shell between it and us was killed): stop as if told to.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid !== parent) void shutdown("parent process exited");
  }, 500);
  watchdog.unref();
  return shutdown;
}
