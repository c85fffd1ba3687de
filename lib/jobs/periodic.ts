// Housekeeping that rides along with every worker process (retention purge, stats rollups): one
// run at a time per process, errors logged and retried at the next tick, never keeping the
// process alive, and a stop that waits for the run in progress.

export type PeriodicJob = { stop(): Promise<void> };

export function startPeriodic(
  name: string,
  run: () => Promise<void>,
  { intervalMs, firstDelayMs, log }: { intervalMs: number; firstDelayMs: number; log: (message: string) => void },
): PeriodicJob {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = run()
      .catch((error: unknown) => log(`${name} failed, retrying in ${Math.round(intervalMs / 1000)} s: ${(error as Error).message}`))
      .finally(() => {
        running = null;
      });
  };
  // The first run waits a moment: a process starting up has more urgent work than housekeeping.
  const first = setTimeout(tick, Math.min(intervalMs, firstDelayMs));
  const timer = setInterval(tick, intervalMs);
  first.unref?.();
  timer.unref?.();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
