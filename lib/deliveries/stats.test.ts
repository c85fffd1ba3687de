// Hourly stats, sparklines and the overview over real delivery rows, through the real routes.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defined } from "@/lib/assert";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { z } from "zod";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import * as hookStatsRoute from "@/app/api/hooks/[id]/stats/route";
import * as testRoute from "@/app/api/hooks/[id]/test/route";
import * as hooksRoute from "@/app/api/hooks/route";
import * as overviewRoute from "@/app/api/stats/overview/route";
import * as sparklinesRoute from "@/app/api/stats/sparklines/route";
import { ctx, db } from "@/lib/testing/context";
import { executionStats } from "@/lib/hooks/stats";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call } from "@/lib/testing/http";
import { startReceiver, type Receiver } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { BUCKET_COUNT, HOUR_MS, hourlyStatsSchema, DELIVERY_WINDOW_MS, overviewStatsSchema, sparklineMapSchema } from "./schemas";
import { hookHourlyStats, hookSparklines, overviewStats } from "./stats";

type Status = "pending" | "succeeded" | "failed";

async function delivery(hookId: string, status: Status, attempts: number, createdAt: Date) {
  await db.delivery.create({ data: { id: randomUUID(), hookId, event: "User.Created", requestBody: "{}", status, attempts, createdAt } });
}

const NOW = new Date();
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

let apiKey: string;
const receivers: Receiver[] = [];

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey } = await signedInAdmin());
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** One hook with a known mix: 4 requests (2 succeeded, 1 failed, 1 retrying) in the window. */
async function busyHook(name = "busy") {
  const hook = await createTestHook({ url: "https://hooks.example.com/in", name });
  await delivery(hook.id, "succeeded", 1, ago(30 * 60_000)); // last hour
  await delivery(hook.id, "succeeded", 4, ago(30 * 60_000)); // retried three times: still one request
  await delivery(hook.id, "failed", 4, ago(5 * HOUR_MS + 60_000));
  await delivery(hook.id, "pending", 2, ago(60_000)); // failed an attempt, waiting for the next
  await delivery(hook.id, "pending", 0, ago(1_000)); // queued, never sent: not a request
  await delivery(hook.id, "failed", 0, ago(2 * HOUR_MS)); // never sent (hook disabled meanwhile): not a request
  await delivery(hook.id, "succeeded", 1, ago(DELIVERY_WINDOW_MS + 60_000)); // older than 24 h
  return hook;
}

describe("hookHourlyStats", () => {
  it("counts each delivery once in its hour, leaves out queued and old rows, and adds up to executionStats", async () => {
    const hook = await busyHook();
    const other = await createTestHook({ url: "https://hooks.example.com/other" });
    await delivery(other.id, "failed", 1, ago(60_000));

    const stats = await hookHourlyStats(ctx, hook.id, NOW);
    expect(stats.buckets).toHaveLength(BUCKET_COUNT);
    expect(stats.to - stats.from).toBe(DELIVERY_WINDOW_MS);
    expect(stats.buckets[0]?.start).toBe(stats.from);
    expect(stats.buckets[BUCKET_COUNT - 1]).toMatchObject({ succeeded: 2, failed: 0, retrying: 1 });
    // 5 h 1 min ago falls in the hour that starts 6 h before now.
    expect(stats.buckets[BUCKET_COUNT - 6]).toMatchObject({ succeeded: 0, failed: 1, retrying: 0 });
    expect(stats.totals).toEqual({ requestCount: 4, successCount: 2, failedCount: 1, retryingCount: 1 });
    expect(sum(stats.buckets.map((bucket) => bucket.succeeded + bucket.failed + bucket.retrying))).toBe(4);

    // Logto's executionStats counts the finished ones: the retrying request is not in it yet.
    const health = (await executionStats(ctx, [hook.id], NOW)).get(hook.id);
    expect(health).toEqual({
      requestCount: stats.totals.requestCount - stats.totals.retryingCount,
      successCount: stats.totals.successCount,
    });
  });

  it("puts rows stamped slightly after now (clock skew) in the last hour and the window's first minute in the first", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    await delivery(hook.id, "succeeded", 1, new Date(NOW.getTime() + 2_000));
    await delivery(hook.id, "succeeded", 1, ago(DELIVERY_WINDOW_MS - 60_000));
    const stats = await hookHourlyStats(ctx, hook.id, NOW);
    expect(stats.buckets[BUCKET_COUNT - 1]?.succeeded).toBe(1);
    expect(stats.buckets[0]?.succeeded).toBe(1);
    expect(stats.totals.requestCount).toBe(2);
  });

  it("keeps a disabled webhook's history, in the chart and in executionStats through the API", async () => {
    const hook = await busyHook();
    await call(hookRoute.PATCH, {
      apiKey,
      params: { id: hook.id },
      path: `/api/hooks/${hook.id}`,
      method: "PATCH",
      body: { enabled: false },
    });
    expect((await db.hook.findUniqueOrThrow({ where: { id: hook.id } })).enabled).toBe(false);

    const chart = await call(hookStatsRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}/stats` });
    expect(chart.status).toBe(200);
    expect(bodyOf(chart, hourlyStatsSchema).totals.requestCount).toBe(4);
    const one = await call(hookRoute.GET, { apiKey, params: { id: hook.id }, path: `/api/hooks/${hook.id}?includeExecutionStats=true` });
    // Finished requests only (the chart counts the retrying one too).
    expect(bodyOf(one, hookOutputSchema).executionStats).toEqual({ requestCount: 3, successCount: 2 });
    const list = await call(hooksRoute.GET, { apiKey, path: "/api/hooks?includeExecutionStats=true" }, z.array(hookOutputSchema));
    expect(list.json[0]?.executionStats).toEqual({ requestCount: 3, successCount: 2 });
  });

  it("answers 404 for an unknown webhook and 401 without credentials", async () => {
    expect((await call(hookStatsRoute.GET, { apiKey, params: { id: "nosuchhook" }, path: "/x" })).status).toBe(404);
    expect((await call(hookStatsRoute.GET, { params: { id: "nosuchhook" }, path: "/x" })).status).toBe(401);
  });
});

describe("test payloads", () => {
  it("are sent for real but never become log entries or count in the stats", async () => {
    const endpoint = await startReceiver([{ status: 200 }]);
    receivers.push(endpoint);
    const hook = await createTestHook({ url: endpoint.url, events: ["User.Created", "Role.Created"] });
    const res = await call(testRoute.POST, {
      apiKey,
      params: { id: hook.id },
      path: `/api/hooks/${hook.id}/test`,
      body: { events: ["User.Created", "Role.Created"], config: { url: endpoint.url } },
    });
    expect(res.status).toBe(204);
    expect(endpoint.requests).toHaveLength(2);
    expect(await db.delivery.count()).toBe(0);
    expect((await hookHourlyStats(ctx, hook.id)).totals.requestCount).toBe(0);
    expect((await executionStats(ctx, [hook.id])).get(hook.id)).toEqual({ requestCount: 0, successCount: 0 });
  });
});

describe("hookSparklines", () => {
  it("gives each requested hook 24 hourly request and failure counts, zeros for quiet or unknown hooks", async () => {
    const hook = await busyHook();
    const quiet = await createTestHook({ url: "https://hooks.example.com/quiet" });
    const lines = await hookSparklines(ctx, [hook.id, quiet.id, "nosuchhook"], NOW);
    expect(Object.keys(lines).sort()).toEqual([hook.id, quiet.id, "nosuchhook"].sort());
    const busy = defined(lines[hook.id], "the busy hook's line");
    const idle = defined(lines[quiet.id], "the quiet hook's line");
    expect(busy.requests).toHaveLength(BUCKET_COUNT);
    expect(busy.requests[BUCKET_COUNT - 1]).toBe(3);
    // The failure is 5 hours old; the last hour's unsettled request is in flight, not failed.
    expect(busy.failures[BUCKET_COUNT - 1]).toBe(0);
    expect(busy.retrying[BUCKET_COUNT - 1]).toBe(1);
    expect(sum(busy.requests)).toBe(4);
    expect(sum(busy.failures)).toBe(1);
    expect(sum(busy.retrying)).toBe(1);
    expect(busy.totals).toEqual({ requestCount: 4, successCount: 2, failedCount: 1, retryingCount: 1 });
    expect(idle.totals).toEqual({ requestCount: 0, successCount: 0, failedCount: 0, retryingCount: 0 });
    expect(sum(idle.requests)).toBe(0);
    expect(await hookSparklines(ctx, [], NOW)).toEqual({});
  });

  it("is served for a list page's ids, with input checked", async () => {
    const hook = await busyHook();
    const res = await call(sparklinesRoute.GET, { apiKey, path: `/api/stats/sparklines?ids=${hook.id},${hook.id}` });
    expect(res.status).toBe(200);
    expect(Object.keys(bodyOf(res, sparklineMapSchema))).toEqual([hook.id]);
    expect((await call(sparklinesRoute.GET, { apiKey, path: "/api/stats/sparklines" })).status).toBe(400);
    const tooMany = Array.from({ length: 101 }, (_, index) => `h${index}`).join(",");
    expect((await call(sparklinesRoute.GET, { apiKey, path: `/api/stats/sparklines?ids=${tooMany}` })).status).toBe(400);
    expect((await call(sparklinesRoute.GET, { path: `/api/stats/sparklines?ids=${hook.id}` })).status).toBe(401);
  });
});

describe("overviewStats", () => {
  it("totals every webhook per hour and ranks the webhooks failing most", async () => {
    const busy = await busyHook("busy");
    const flaky = await createTestHook({ url: "https://hooks.example.com/flaky", name: "flaky" });
    for (let index = 0; index < 3; index++) await delivery(flaky.id, "failed", 4, ago((index + 1) * HOUR_MS));
    await delivery(flaky.id, "succeeded", 1, ago(60_000));
    const healthy = await createTestHook({ url: "https://hooks.example.com/ok", name: "healthy", enabled: false });
    await delivery(healthy.id, "succeeded", 1, ago(60_000));

    const res = await call(overviewRoute.GET, { apiKey, path: "/api/stats/overview" });
    expect(res.status).toBe(200);
    const overview = bodyOf(res, overviewStatsSchema);
    expect(overview.totals).toEqual({ requestCount: 9, successCount: 4, failedCount: 4, retryingCount: 1 });
    expect(overview.buckets).toHaveLength(BUCKET_COUNT);
    expect(sum(overview.buckets.map((bucket) => bucket.succeeded + bucket.failed + bucket.retrying))).toBe(9);
    expect(overview.hookCount).toBe(3);
    expect(overview.enabledHookCount).toBe(2);
    expect(overview.topFailing.map((hook) => hook.name)).toEqual(["flaky", "busy"]);
    expect(overview.topFailing[0]).toEqual({
      hookId: flaky.id,
      name: "flaky",
      enabled: true,
      requestCount: 4,
      successCount: 1,
      failedCount: 3,
      retryingCount: 0,
    });
    expect(overview.topFailing[1]).toMatchObject({ hookId: busy.id, failedCount: 1, retryingCount: 1 });
  });

  it("is all zeros with no deliveries", async () => {
    const overview = await overviewStats(ctx, NOW);
    expect(overview.totals.requestCount).toBe(0);
    expect(overview.topFailing).toEqual([]);
    expect(overview.buckets.every((bucket) => bucket.succeeded + bucket.failed + bucket.retrying === 0)).toBe(true);
  });
});
