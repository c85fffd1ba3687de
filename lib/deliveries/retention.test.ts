// Retention against a real database: batches, what is kept, and events left without deliveries.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as cronRoute from "@/app/api/cron/deliver/route";
import { ctx, db, configure } from "@/lib/testing/context";
import { call } from "@/lib/testing/http";
import { createTestHook } from "@/lib/testing/hooks";
import { resetDatabase } from "@/lib/testing/reset";
import { purgeOldDeliveries, startRetentionTimer } from "./retention";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

async function event(createdAt: Date) {
  return db.event.create({ data: { id: randomUUID(), event: "User.Created", data: {}, createdAt } });
}

async function delivery(hookId: string, createdAt: Date, status: "pending" | "succeeded" | "failed" = "succeeded", eventId?: string) {
  return db.delivery.create({
    data: { id: randomUUID(), hookId, eventId, event: "User.Created", requestBody: "{}", status, attempts: 1, createdAt },
  });
}

beforeEach(resetDatabase);

describe("purgeOldDeliveries", () => {
  it("deletes finished deliveries past the retention in batches, keeping recent and undelivered ones", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    for (let index = 0; index < 7; index++) await delivery(hook.id, daysAgo(15 + index), index % 2 ? "failed" : "succeeded");
    const recent = await delivery(hook.id, daysAgo(13));
    const stuck = await delivery(hook.id, daysAgo(20), "pending");

    const result = await purgeOldDeliveries(ctx, { olderThanDays: 14, batchSize: 2, now: NOW });
    expect(result.deliveries).toBe(7);
    expect(result.cutoff.getTime()).toBe(daysAgo(14).getTime());
    const left = await db.delivery.findMany({ select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([recent.id, stuck.id].sort());
  });

  it("deletes old events no delivery refers to, keeps the others", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    await event(daysAgo(30)); // matched no webhook
    const purged = await event(daysAgo(30)); // its delivery goes now
    const resent = await event(daysAgo(30)); // a recent resend still repeats it
    const fresh = await event(daysAgo(1));
    await delivery(hook.id, daysAgo(30), "succeeded", purged.id);
    await delivery(hook.id, daysAgo(1), "succeeded", resent.id);

    const result = await purgeOldDeliveries(ctx, { olderThanDays: 14, batchSize: 1, now: NOW });
    expect(result).toMatchObject({ deliveries: 1, events: 2 });
    const left = await db.event.findMany({ select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([resent.id, fresh.id].sort());
  });

  it("uses RETENTION_DAYS by default and stops after maxBatches", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    for (let index = 0; index < 5; index++) await delivery(hook.id, daysAgo(15));
    await delivery(hook.id, daysAgo(10));
    expect((await purgeOldDeliveries(ctx, { batchSize: 2, maxBatches: 1, now: NOW })).deliveries).toBe(2);
    expect((await purgeOldDeliveries(ctx, { now: NOW })).deliveries).toBe(3);
    expect(await db.delivery.count()).toBe(1);
  });
});

describe("startRetentionTimer", () => {
  it("purges on its first tick and stops cleanly", async () => {
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    await delivery(hook.id, daysAgo(20));
    const messages: string[] = [];
    const timer = startRetentionTimer(ctx, { intervalMs: 20, log: (message) => messages.push(message) });
    for (let waited = 0; waited < 5_000 && (await db.delivery.count()) > 0; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await timer.stop();
    expect(await db.delivery.count()).toBe(0);
    expect(messages[0]).toMatch(/purged 1 deliveries/);
  });
});

describe("the cron route", () => {
  afterEach(() => {
    configure({ CRON_SECRET: undefined });
  });

  it("purges as part of its pass, for setups without a long-running worker", async () => {
    configure({ CRON_SECRET: "cron-secret-for-retention" });
    const hook = await createTestHook({ url: "https://hooks.example.com/in" });
    await delivery(hook.id, daysAgo(20));
    await delivery(hook.id, daysAgo(1));
    const res = await call(cronRoute.POST, { method: "POST", headers: { authorization: "Bearer cron-secret-for-retention" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ claimed: 0, purgedDeliveries: 1 });
    expect(await db.delivery.count()).toBe(1);
    // The stats rollups ride along too (lib/deliveries/rollup.ts).
    expect(res.json).toMatchObject({ statsRolledUntil: expect.any(String) });
    expect(await db.deliveryRollup.count()).toBe(1);
  });
});
