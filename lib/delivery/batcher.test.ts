import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

describe("createBatcher", () => {
  it("runs a lone call at once and merges calls that arrive while statements are in flight", async () => {
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
    expect(batches).toEqual([[1], [2], [3, 4, 5], [6]]);
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
