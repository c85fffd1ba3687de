// Load shapes and figures shared by the benchmarks (scripts/bench.ts, scripts/bench-quick.ts).

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending array. */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

export type Distribution = { count: number; p50: number; p95: number; p99: number; max: number };

export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Runs `total` calls of `task` with `concurrency` in flight; returns the elapsed milliseconds. */
export async function saturate(total: number, concurrency: number, task: (n: number) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return performance.now() - started;
}

export type LoadResult = { calls: number; errors: number; elapsedMs: number; latencies: number[]; firstError?: string };

function recorder() {
  const result: LoadResult = { calls: 0, errors: 0, elapsedMs: 0, latencies: [] };
  return {
    result,
    async run(task: () => Promise<unknown>) {
      const started = performance.now();
      try {
        await task();
        result.calls++;
        result.latencies.push(performance.now() - started);
      } catch (error) {
        result.errors++;
        result.firstError ??= error instanceof Error ? error.message : String(error);
      }
    },
  };
}

/** Closed loop: `concurrency` callers each start a new call as soon as their last one ends, for `ms`. */
export async function closedLoop(ms: number, concurrency: number, task: () => Promise<unknown>): Promise<LoadResult> {
  const { result, run } = recorder();
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) await run(task);
    }),
  );
  result.elapsedMs = performance.now() - started;
  return result;
}

/**
 * Open loop at a fixed rate: calls start on schedule whether or not earlier ones finished (as real
 * producers do), up to `maxInFlight`; a call that would exceed it is skipped and counted late.
 */
export async function openLoop(rate: number, ms: number, maxInFlight: number, task: () => Promise<unknown>) {
  const { result, run } = recorder();
  const total = Math.round((rate * ms) / 1000);
  const started = performance.now();
  const running = new Set<Promise<void>>();
  let issued = 0;
  let late = 0;
  while (issued + late < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    while (issued + late < due) {
      if (running.size >= maxInFlight) {
        late++;
        continue;
      }
      issued++;
      const call = run(task).finally(() => running.delete(call));
      running.add(call);
    }
    await sleep(Math.max(1, 1000 / rate));
  }
  const sentMs = performance.now() - started;
  await Promise.all(running);
  result.elapsedMs = performance.now() - started;
  return { ...result, late, sentMs };
}
