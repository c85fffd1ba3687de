// Group commit in the application: concurrent callers' writes are merged into one statement.
// Calls made in the same turn of the event loop (the results of every response read in one poll
// phase, say) go out together at the end of it, so a burst never opens with statements of one;
// calls that arrive while `maxConcurrent` statements are in flight wait for the next one and share
// it. Throughput then rises with load instead of each caller paying a round trip and a commit, and
// a lone call waits for nothing but the end of its turn.

export type BatchRunner<I, O> = (items: I[]) => Promise<O[]>;

export function createBatcher<I, O>(run: BatchRunner<I, O>, options: { maxBatch: number; maxConcurrent: number }) {
  type Waiting = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };
  const queue: Waiting[] = [];
  let running = 0;
  let scheduled = false;

  function flush() {
    while (running < options.maxConcurrent && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      running++;
      // The slot is released before callers resume, so a caller's next call can start at once.
      const settle = (finish: () => void) => {
        running--;
        finish();
        flush();
      };
      run(batch.map((waiting) => waiting.item)).then(
        // `run` returns one result per item, in order, so every index is in range.
        (results) => settle(() => batch.forEach((waiting, index) => waiting.resolve(results[index] as O))),
        // One statement, one transaction: if it fails, it failed for every caller in it.
        (error: unknown) => settle(() => batch.forEach((waiting) => waiting.reject(error))),
      );
    }
  }

  return (item: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flush();
      });
    });
}
