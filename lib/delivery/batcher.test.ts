import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

describe("createBatcher", () => {
  it("runs a lone call alone, merges calls of one turn of the event loop, and those that arrive while statements are in flight", async () => {
    const batches: number[][] = [];
    const run = async (items: number[]) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return items.map((n) => n * 10);
    };
    const call = createBatcher(run, { maxBatch: 3, maxConcurrent: 1 });
    expect(await call(1)).toBe(10);
    const results = await Promise.all([2, 3, 4, 5, 6].map(call));
    expect(results).toEqual([20, 30, 40, 50, 60]);
    // 2-6 in one turn: one statement of the first three (maxBatch), the rest after it.
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    // Calls arriving while a statement runs share the next one.
    const first = call(7);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [call(8), call(9)];
    expect(await Promise.all([first, ...later])).toEqual([70, 80, 90]);
    expect(batches.slice(3)).toEqual([[7], [8, 9]]);
  });

  it("rejects every caller of a failed statement, and keeps working", async () => {
    let fail = true;
    const call = createBatcher(
      async (items: string[]) => {
        await Promise.resolve();
        if (fail) throw new Error("statement failed");
        return items;
      },
      { maxBatch: 10, maxConcurrent: 1 },
    );
    const outcomes = await Promise.allSettled(["a", "b", "c"].map(call));
    expect(outcomes.every((outcome) => outcome.status === "rejected")).toBe(true);
    fail = false;
    expect(await call("d")).toBe("d");
  });
});
