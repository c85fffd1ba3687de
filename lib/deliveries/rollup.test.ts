// The per-minute rollups against the raw rows: every stats service must return exactly what the
// raw computation returns, for any `now`, before and after rows change and the rollup moves on.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { defined } from "@/lib/assert";
import { ctx, db } from "@/lib/testing/context";
import { executionStats } from "@/lib/hooks/stats";
import { int, pick, prng, type Random } from "@/lib/testing/fuzz";
import { createTestHook } from "@/lib/testing/hooks";
import { resetDatabase } from "@/lib/testing/reset";
import { purgeOldDeliveries } from "./retention";
import { recentLogs } from "./service";
import { waitFor } from "@/lib/testing/wait";
import { rollupDeliveries, SETTLE_MS, startRollupTimer, type RollupResult } from "./rollup";
import { HOUR_MS, DELIVERY_WINDOW_MS, recentLogsQuerySchema } from "./schemas";
import { hookHourlyStats, hookSparklines, overviewStats } from "./stats";

type Status = "pending" | "succeeded" | "failed";
type Row = { hookId: string; status: Status; attempts: number; createdAt: Date };

const MINUTE_MS = 60_000;
// Not minute-aligned, so the window's start and every hour bucket's edges cut minutes in two.
const NOW = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS + 17_345);
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function insert(rows: Row[]) {
  await db.delivery.createMany({
    data: rows.map((row) => ({ id: randomUUID(), event: "User.Created", requestBody: "{}", ...row })),
  });
}

async function hooks(count: number) {
  const created = [];
  for (let index = 0; index < count; index++)
    created.push(await createTestHook({ url: "https://example.com/hook", name: `hook ${index}` }));
  return created.map((hook) => hook.id);
}

const oneHook = async () => defined((await hooks(1))[0], "the created hook");

/** Every service, from rollups and from raw rows, for `now`. */
async function expectSameAsRaw(hookIds: string[], now: Date, existing = hookIds) {
  const ids = [...hookIds, "nosuchhook0000000000x"];
  const [totals, rawTotals] = await Promise.all([executionStats(ctx, ids, now), executionStats(ctx, ids, now, "raw")]);
  expect(totals, `executionStats at ${now.toISOString()}`).toEqual(rawTotals);
  expect(await hookSparklines(ctx, ids, now), `sparklines at ${now.toISOString()}`).toEqual(await hookSparklines(ctx, ids, now, "raw"));
  expect(await overviewStats(ctx, now), `overview at ${now.toISOString()}`).toEqual(await overviewStats(ctx, now, "raw"));
  for (const id of existing) {
    expect(await hookHourlyStats(ctx, id, now), `hourly ${id} at ${now.toISOString()}`).toEqual(await hookHourlyStats(ctx, id, now, "raw"));
    // Logto's recent-logs total is the same count (from rollups unless a filter needs rows).
    for (const query of [{}, { start_time: now.getTime() - 5 * HOUR_MS - 1_234 }]) {
      const { total } = await recentLogs(ctx, id, recentLogsQuerySchema.parse(query), now);
      expect(total, `recent-logs total ${id} at ${now.toISOString()}`).toBe(
        (await recentLogs(ctx, id, recentLogsQuerySchema.parse(query), now, "raw")).total,
      );
    }
  }
  return totals;
}

async function state() {
  return db.deliveryRollup.findUnique({ where: { id: 1 } });
}

/** Times worth testing for `now`: its window's start and hour edges, exactly and a millisecond off. */
function edgesOf(now: Date) {
  const since = now.getTime() - DELIVERY_WINDOW_MS;
  const edges: Date[] = [];
  for (let hour = 0; hour <= 24; hour++) for (const off of [-1, 0, 1]) edges.push(new Date(since + hour * HOUR_MS + off));
  return edges;
}

function randomRows(random: Random, hookIds: string[], count: number, from: Date, to: Date, pendingAfter: Date, special: Date[]): Row[] {
  const rows: Row[] = [];
  for (let index = 0; index < count; index++) {
    let createdAt: Date;
    const kind = random();
    if (kind < 0.25 && special.length > 0) createdAt = pick(random, special);
    else if (kind < 0.45)
      createdAt = new Date(Math.floor(int(random, from.getTime(), to.getTime()) / MINUTE_MS) * MINUTE_MS); // on a minute edge
    else createdAt = new Date(int(random, from.getTime(), to.getTime()));
    const statuses: Status[] = createdAt >= pendingAfter ? ["pending", "succeeded", "failed"] : ["succeeded", "failed"];
    rows.push({ hookId: pick(random, hookIds), status: pick(random, statuses), attempts: int(random, 0, 4), createdAt });
  }
  return rows.filter((row) => row.createdAt >= from && row.createdAt <= to);
}

const ran = (result: RollupResult) => {
  if (result.skipped) throw new Error("rollup skipped");
  return result;
};

beforeEach(async () => {
  await resetDatabase();
});

describe("delivery rollups", () => {
  // Thousands of rows and dozens of raw-vs-rollup comparisons: ~29 s alone on a loaded 2-core machine.
  it("equal the raw counts for random rows and several nows, before and after rows change", { timeout: 120_000 }, async () => {
    const random = prng(20261128);
    const hookIds = await hooks(4);
    const nows = [
      NOW,
      at(NOW, -37_500),
      at(NOW, -2 * HOUR_MS + 13),
      at(NOW, -NOW.getTime() % MINUTE_MS),
      at(NOW, -26 * MINUTE_MS),
      at(NOW, 45_000),
    ];
    const special = nows.flatMap(edgesOf);
    // Pending rows only in the last 40 minutes: the watermark stops at the oldest of them.
    const pendingAfter = at(NOW, -40 * MINUTE_MS);
    const rows = randomRows(random, hookIds, 1_500, at(NOW, -27 * HOUR_MS), at(NOW, 2 * MINUTE_MS), pendingAfter, special);
    await insert(rows);
    // Nothing rolled up yet: all raw.
    for (const now of nows.slice(0, 2)) await expectSameAsRaw(hookIds, now);

    const first = ran(await rollupDeliveries(ctx, { now: NOW }));
    const oldestPending = Math.min(
      ...rows
        .filter((row) => row.status === "pending" && row.createdAt.getTime() >= first.rolledFrom.getTime())
        .map((row) => row.createdAt.getTime()),
    );
    expect(first.rolledFrom.getTime()).toBe(Math.floor((NOW.getTime() - DELIVERY_WINDOW_MS - MINUTE_MS) / MINUTE_MS) * MINUTE_MS);
    expect(first.rolledUntil.getTime()).toBe(Math.floor(oldestPending / MINUTE_MS) * MINUTE_MS);
    expect(first.minuteRows).toBeGreaterThan(500);
    for (const now of nows) await expectSameAsRaw(hookIds, now);

    // The pending rows settle, more rows arrive (from the watermark on, as a writer's clock
    // stamps them), the rollup moves on.
    const pending = await db.delivery.findMany({ where: { status: "pending" }, select: { id: true } });
    for (const { id } of pending) {
      await db.delivery.update({
        where: { id },
        data: { status: pick(random, ["succeeded", "failed"] as const), attempts: int(random, 1, 4) },
      });
    }
    const later = at(NOW, 9 * MINUTE_MS + 250);
    const laterNows = [later, at(later, -61_000), at(later, -HOUR_MS - 1), ...nows];
    await insert(
      randomRows(random, hookIds, 400, first.rolledUntil, at(later, MINUTE_MS), at(later, -2 * MINUTE_MS), laterNows.flatMap(edgesOf)),
    );
    const second = ran(await rollupDeliveries(ctx, { now: later }));
    expect(second.rolledUntil.getTime()).toBeGreaterThan(first.rolledUntil.getTime());
    expect(second.rolledUntil.getTime()).toBeLessThanOrEqual(later.getTime() - SETTLE_MS);
    for (const now of laterNows) await expectSameAsRaw(hookIds, now);

    // Again with nothing new: no change, and nothing counted twice.
    const before = await db.deliveryMinuteStat.aggregate({ _sum: { succeeded: true, failed: true } });
    const third = ran(await rollupDeliveries(ctx, { now: later }));
    expect(third.rolledUntil).toEqual(second.rolledUntil);
    expect(await db.deliveryMinuteStat.aggregate({ _sum: { succeeded: true, failed: true } })).toEqual(before);
    for (const now of laterNows.slice(0, 3)) await expectSameAsRaw(hookIds, now);
  });

  it("does not pass a pending row, and moves on once it settles", async () => {
    const hookId = await oneHook();
    const stuck = at(NOW, -5 * HOUR_MS - 12_345);
    await insert([
      { hookId, status: "succeeded", attempts: 1, createdAt: at(NOW, -6 * HOUR_MS) },
      { hookId, status: "pending", attempts: 2, createdAt: stuck },
      { hookId, status: "failed", attempts: 4, createdAt: at(NOW, -HOUR_MS) },
    ]);
    const first = ran(await rollupDeliveries(ctx, { now: NOW }));
    expect(first.rolledUntil.getTime()).toBe(Math.floor(stuck.getTime() / MINUTE_MS) * MINUTE_MS);
    expect((await expectSameAsRaw([hookId], NOW)).get(hookId)).toEqual({ requestCount: 2, successCount: 1 }); // the pending one is not finished

    await db.delivery.updateMany({ where: { status: "pending" }, data: { status: "succeeded", attempts: 3 } });
    const second = ran(await rollupDeliveries(ctx, { now: NOW }));
    expect(second.rolledUntil.getTime()).toBe(Math.floor((NOW.getTime() - SETTLE_MS) / MINUTE_MS) * MINUTE_MS);
    expect((await expectSameAsRaw([hookId], NOW)).get(hookId)).toEqual({ requestCount: 3, successCount: 2 });
    // A pending row that is not a request yet (never attempted) holds the watermark too.
    await insert([{ hookId, status: "pending", attempts: 0, createdAt: at(NOW, -SETTLE_MS + 1) }]);
    const third = ran(await rollupDeliveries(ctx, { now: at(NOW, 10 * MINUTE_MS) }));
    expect(third.rolledUntil.getTime()).toBe(Math.floor((NOW.getTime() - SETTLE_MS + 1) / MINUTE_MS) * MINUTE_MS);
  });

  it("starts at the window's start on a database with history, and prunes what the window no longer reads", async () => {
    const hookId = await oneHook();
    const rows: Row[] = [];
    for (let hour = 0; hour < 72; hour += 0.5) rows.push({ hookId, status: "succeeded", attempts: 1, createdAt: at(NOW, -hour * HOUR_MS) });
    await insert(rows);
    const first = ran(await rollupDeliveries(ctx, { now: NOW }));
    expect(first.rolledFrom.getTime()).toBe(Math.floor((NOW.getTime() - DELIVERY_WINDOW_MS - MINUTE_MS) / MINUTE_MS) * MINUTE_MS);
    expect(await db.deliveryMinuteStat.count({ where: { minute: { lt: first.rolledFrom } } })).toBe(0);
    await expectSameAsRaw([hookId], NOW);

    // Two hours later: minutes older than 25 h go, the range's start follows.
    const later = at(NOW, 2 * HOUR_MS);
    const second = ran(await rollupDeliveries(ctx, { now: later }));
    expect(second.rolledFrom.getTime()).toBe(Math.floor((later.getTime() - DELIVERY_WINDOW_MS - HOUR_MS) / MINUTE_MS) * MINUTE_MS);
    expect(second.pruned).toBeGreaterThan(0);
    expect(await db.deliveryMinuteStat.count({ where: { minute: { lt: second.rolledFrom } } })).toBe(0);
    await expectSameAsRaw([hookId], later);

    // After a stop longer than the window, it starts afresh rather than catching up on old minutes.
    const muchLater = at(NOW, 3 * DELIVERY_WINDOW_MS);
    const third = ran(await rollupDeliveries(ctx, { now: muchLater }));
    expect(third.rolledFrom.getTime()).toBe(Math.floor((muchLater.getTime() - DELIVERY_WINDOW_MS - MINUTE_MS) / MINUTE_MS) * MINUTE_MS);
    expect(await db.deliveryMinuteStat.count()).toBe(0);
  });

  it("keeps clear of minutes retention may purge", async () => {
    const hookId = await oneHook();
    const rows: Row[] = [];
    for (let minute = 0; minute < 26 * 60; minute += 7)
      rows.push({ hookId, status: "failed", attempts: 4, createdAt: at(NOW, -minute * MINUTE_MS - 999) });
    await insert(rows);
    const result = ran(await rollupDeliveries(ctx, { now: NOW, retentionDays: 0.5 }));
    expect(result.rolledFrom.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 12 * HOUR_MS);
    const purged = await purgeOldDeliveries(ctx, { now: at(NOW, 2 * MINUTE_MS), olderThanDays: 0.5 });
    expect(purged.deliveries).toBeGreaterThan(0);
    for (const now of [NOW, at(NOW, 2 * MINUTE_MS), at(NOW, -13 * HOUR_MS)]) await expectSameAsRaw([hookId], now);
  });

  it("goes with its hook when the hook is deleted", async () => {
    const hookIds = await hooks(2);
    const [gone, kept] = [defined(hookIds[0], "the first hook"), defined(hookIds[1], "the second hook")];
    await insert(
      hookIds.flatMap((hookId) =>
        [1, 2, 3].map((hour) => ({ hookId, status: "succeeded" as const, attempts: 1, createdAt: at(NOW, -hour * HOUR_MS) })),
      ),
    );
    ran(await rollupDeliveries(ctx, { now: NOW }));
    expect(await db.deliveryMinuteStat.count({ where: { hookId: gone } })).toBe(3);
    await db.hook.delete({ where: { id: gone } });
    expect(await db.deliveryMinuteStat.count({ where: { hookId: gone } })).toBe(0);
    expect(await db.deliveryMinuteStat.count({ where: { hookId: kept } })).toBe(3);
    const totals = await expectSameAsRaw(hookIds, NOW, [kept]);
    expect(totals.get(gone)).toEqual({ requestCount: 0, successCount: 0 });
    expect(totals.get(kept)).toEqual({ requestCount: 3, successCount: 3 });
  });

  it("counts once when two runs race", async () => {
    const random = prng(7);
    const hookIds = await hooks(3);
    await insert(randomRows(random, hookIds, 800, at(NOW, -25 * HOUR_MS), at(NOW, -30 * MINUTE_MS), at(NOW, 0), []));
    for (let round = 0; round < 5; round++) {
      const now = at(NOW, round * 7 * MINUTE_MS);
      const results = await Promise.all([rollupDeliveries(ctx, { now }), rollupDeliveries(ctx, { now }), rollupDeliveries(ctx, { now })]);
      expect(results.some((result) => !result.skipped)).toBe(true);
      await expectSameAsRaw(hookIds, now);
    }
    const rolled = await db.deliveryMinuteStat.aggregate({ _sum: { succeeded: true, failed: true } });
    const { rolledFrom } = (await state())!;
    const raw = await db.delivery.groupBy({
      by: ["status"],
      where: { attempts: { gt: 0 }, createdAt: { gte: rolledFrom } },
      _count: { _all: true },
    });
    const count = (status: Status) => raw.find((group) => group.status === status)?._count._all ?? 0;
    expect(rolled._sum).toEqual({ succeeded: count("succeeded"), failed: count("failed") });
  });

  it("runs from a timer in every worker until stopped", async () => {
    const hookId = await oneHook();
    await insert([{ hookId, status: "succeeded", attempts: 1, createdAt: at(NOW, -HOUR_MS) }]);
    const messages: string[] = [];
    const timer = startRollupTimer(ctx, { intervalMs: 50, log: (message) => messages.push(message) });
    await waitFor(() => Promise.resolve(messages.length > 0));
    await timer.stop();
    expect(messages[0]).toMatch(/^rolled up 1 hook-minutes from /);
    expect(await db.deliveryMinuteStat.count()).toBe(1);
    await expectSameAsRaw([hookId], new Date());
  });
});
