// Logto compatibility, written from Logto's documented behaviour and its management API's
// contract (issue 12): what a client written against Logto's /api/hooks sees from this server.
// Each block names the point of the issue it covers.
import { describe, expect, it, beforeEach } from "vitest";
import { acceptedEventSchema } from "@/lib/events/schemas";
import * as eventsRoute from "@/app/api/events/route";
import * as hookRoute from "@/app/api/hooks/[id]/route";
import { db } from "@/lib/db/client";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call } from "@/lib/testing/http";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { resetDatabase } from "@/lib/testing/reset";

let apiKey: string;

beforeEach(async () => {
  await resetDatabase();
  ({ apiKey } = await signedInAdmin());
});

describe("6. ingestion while hooks are being deleted", () => {
  it("accepts every event and delivers to the hooks that still exist (300 races, 0 errors)", async () => {
    const survivor = await createTestHook({ url: "https://survivor.example.com/hook" });
    const RACES = 300;
    const PARALLEL = 10;
    const statuses: number[] = [];
    const eventIds: string[] = [];
    for (let round = 0; round < RACES / PARALLEL; round++) {
      const victims = await Promise.all(
        Array.from({ length: PARALLEL }, () => createTestHook({ url: "https://victim.example.com/hook" })),
      );
      const results = await Promise.all(
        victims.flatMap((victim) => [
          call(eventsRoute.POST, { apiKey, body: { event: "User.Created", data: { round } } }),
          call(hookRoute.DELETE, { apiKey, method: "DELETE", params: { id: victim.id } }),
        ]),
      );
      for (const [index, res] of results.entries()) {
        if (index % 2 === 0) {
          statuses.push(res.status);
          if (res.status === 202) eventIds.push(bodyOf(res, acceptedEventSchema).id);
        } else expect(res.status).toBe(204);
      }
    }
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    expect(eventIds).toHaveLength(RACES);
    // Every event reached the hook that was never deleted; no delivery points at a deleted hook.
    expect(await db.delivery.count({ where: { hookId: survivor.id } })).toBe(RACES);
    expect(await db.delivery.count({ where: { hookId: { not: survivor.id } } })).toBe(0);
    expect(await db.hook.count()).toBe(1);
  }, 120_000);
});
