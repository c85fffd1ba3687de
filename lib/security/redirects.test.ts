// SSRF through redirects: a local endpoint (allowed here: ALLOW_LOCAL_ENDPOINTS=true, the
// test default) answers 3xx towards the cloud metadata address. Nothing may follow it: the
// delivery fails with the 3xx recorded, the endpoint sees one request, and the network fence
// sees no attempt to leave the machine.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { first } from "@/lib/assert";
import * as cronRoute from "@/app/api/cron/deliver/route";
import * as testRoute from "@/app/api/hooks/[id]/test/route";
import { ctx, db } from "@/lib/testing/context";
import { emit } from "@/lib/events/service";
import { createTestHook } from "@/lib/testing/hooks";
import { call, errorOf } from "@/lib/testing/http";
import { fencedSuite } from "@/lib/testing/fenced-suite";
import type { NetworkFence } from "@/lib/testing/network-fence";
import type { Receiver } from "@/lib/testing/receiver";

const CRON_SECRET = "redirect-suite-cron-secret";
const METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
const REDIRECTS = [301, 302, 303, 307, 308];

let fence: NetworkFence;
let receiver: Receiver;
let apiKey: string;
const suite = fencedSuite({ allowLocalEndpoints: true, cronSecret: CRON_SECRET });
beforeAll(() => ({ fence, receiver, apiKey } = suite));

beforeEach(async () => {
  await db.hook.deleteMany();
  receiver.requests.length = 0;
});

describe("redirects to the metadata address", () => {
  it("are not followed by the worker: one request, a failed delivery with the 3xx, no retry", async () => {
    for (const status of REDIRECTS) {
      receiver.setScript([{ status, redirectTo: METADATA }]);
      const hook = await createTestHook({ url: receiver.url, name: `redirect ${status}` });
      await emit(ctx, { event: "User.Created", data: { status } });
      const res = await call(cronRoute.POST, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
      expect(res.status).toBe(200);
      const delivery = first(await db.delivery.findMany({ where: { hookId: hook.id } }));
      expect({ status, row: delivery.status, attempts: delivery.attempts, responseStatus: delivery.responseStatus }).toEqual({
        status,
        row: "failed",
        attempts: 1,
        responseStatus: status,
      });
      expect(delivery.error).toMatch(/redirects are not followed/);
      await db.hook.delete({ where: { id: hook.id } });
    }
    expect(receiver.requests).toHaveLength(REDIRECTS.length);
    expect(fence.refused()).toEqual([]);
  });

  it("are not followed by the test-payload route: 422 with the 3xx, one request", async () => {
    const hook = await createTestHook({ url: receiver.url });
    for (const status of REDIRECTS) {
      receiver.setScript([{ status, redirectTo: METADATA }]);
      const res = await call(testRoute.POST, {
        apiKey,
        params: { id: hook.id },
        body: { events: ["User.Created"], config: { url: receiver.url } },
      });
      expect({ status, answer: res.status, code: errorOf(res).code, responseStatus: errorOf(res).responseStatus }).toEqual({
        status,
        answer: 422,
        code: "hook.endpoint_responded_with_error",
        responseStatus: status,
      });
    }
    expect(receiver.requests).toHaveLength(REDIRECTS.length);
    expect(fence.refused()).toEqual([]);
  });
});
