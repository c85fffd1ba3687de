// executionStats over real Delivery rows: one request per delivery whatever its retries.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { z } from "zod";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import * as hooksRoute from "@/app/api/hooks/route";
import { ctx, db } from "@/lib/testing/context";
import { bodyOf, call } from "@/lib/testing/http";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { resetDatabase } from "@/lib/testing/reset";
import { createHook } from "./service";
import { executionStats, STATS_WINDOW_MS } from "./stats";

type Status = "pending" | "succeeded" | "failed";

async function delivery(hookId: string, status: Status, attempts: number, ageMs = 60_000) {
  await db.delivery.create({
    data: { id: randomUUID(), hookId, event: "User.Created", requestBody: "{}", status, attempts, createdAt: new Date(Date.now() - ageMs) },
  });
}

const newHook = (name: string) =>
  createHook(ctx, { name, events: ["User.Created"], config: { url: "https://hooks.example.com/", headers: [] } });

describe("executionStats", () => {
  beforeEach(resetDatabase);

  it("counts each finished delivery once, successes by final status, in the last 24 hours only", async () => {
    const hook = await newHook("a");
    const other = await newHook("b");
    await delivery(hook.id, "succeeded", 1);
    await delivery(hook.id, "succeeded", 4); // retried three times, still one request
    await delivery(hook.id, "failed", 4);
    await delivery(hook.id, "pending", 2); // waiting for a retry: not finished, not counted yet (as Logto's log)
    await delivery(hook.id, "pending", 0); // never sent: not a request yet
    await delivery(hook.id, "succeeded", 1, STATS_WINDOW_MS + 60_000); // older than 24 h
    await delivery(other.id, "succeeded", 1);
    await delivery(other.id, "failed", 1);

    const stats = await executionStats(ctx, [hook.id, other.id, "no-such-hook"]);
    expect(stats.get(hook.id)).toEqual({ requestCount: 3, successCount: 2 });
    expect(stats.get(other.id)).toEqual({ requestCount: 2, successCount: 1 });
    expect(stats.get("no-such-hook")).toEqual({ requestCount: 0, successCount: 0 });
  });

  it("answers zeros for hooks without deliveries and an empty map for no hooks", async () => {
    const hook = await newHook("quiet");
    expect((await executionStats(ctx, [hook.id])).get(hook.id)).toEqual({ requestCount: 0, successCount: 0 });
    expect((await executionStats(ctx, [])).size).toBe(0);
  });

  it("runs one query whatever the number of hooks", async () => {
    const hooks = await Promise.all(Array.from({ length: 5 }, (_, i) => newHook(`h${i}`)));
    for (const hook of hooks) await delivery(hook.id, "succeeded", 1);
    const spy = vi.spyOn(db, "$queryRaw");
    try {
      const stats = await executionStats(
        ctx,
        hooks.map((hook) => hook.id),
      );
      expect([...stats.values()]).toEqual(hooks.map(() => ({ requestCount: 1, successCount: 1 })));
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("shows through the API with includeExecutionStats", async () => {
    const { apiKey } = await signedInAdmin();
    const hook = await newHook("api");
    await delivery(hook.id, "succeeded", 3);
    await delivery(hook.id, "failed", 4);
    const list = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?includeExecutionStats=true" }, z.array(hookOutputSchema));
    expect(list.json[0]?.executionStats).toEqual({ successCount: 1, requestCount: 2 });
    const one = await call(hookRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}?includeExecutionStats=1` });
    expect(bodyOf(one, hookOutputSchema).executionStats).toEqual({ successCount: 1, requestCount: 2 });
  });
});
