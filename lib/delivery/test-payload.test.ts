import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defined, first } from "@/lib/assert";
import { testPayloadResultsSchema } from "@/lib/hooks/schemas";
import * as testRoute from "@/app/api/hooks/[id]/test/route";
import { ctx, db } from "@/lib/testing/context";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { createTestHook } from "@/lib/testing/hooks";
import { bodyOf, call, errorOf } from "@/lib/testing/http";
import { startReceiver, type Receiver, type Script } from "@/lib/testing/receiver";
import { resetDatabase } from "@/lib/testing/reset";
import { createSender } from "./http";
import { logtoSignature } from "./signing";
import { sendTestPayloads, testPayloadSchema } from "./test-payload";
import { z } from "zod";

let session: string;
let apiKey: string;
const receivers: Receiver[] = [];

async function receiver(script?: Script) {
  const started = await startReceiver(script);
  receivers.push(started);
  return started;
}

beforeEach(async () => {
  await resetDatabase();
  ({ session, apiKey } = await signedInAdmin());
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("POST /api/hooks/:id/test", () => {
  it("sends Logto's anonymous sample per event to the form's URL and headers, signed with the stored key: 204", async () => {
    const endpoint = await receiver();
    const hook = await createTestHook({ url: "https://saved.example.com/hook", headers: [{ key: "X-Saved", value: "1" }] });
    const res = await call(testRoute.POST, {
      session,
      params: { id: hook.id },
      body: { events: ["User.Created", "PostSignIn"], config: { url: endpoint.url, headers: { "X-Form": "yes" } } },
    });
    expect(res.status).toBe(204);
    expect(endpoint.requests).toHaveLength(2);
    const byEvent = Object.fromEntries(
      endpoint.requests.map((r) => [z.looseObject({ event: z.string() }).parse(JSON.parse(r.body)).event, r]),
    );

    const data = defined(byEvent["User.Created"], "the User.Created request");
    expect(JSON.parse(data.body)).toEqual({
      hookId: hook.id,
      event: "User.Created",
      createdAt: expect.any(String),
      userAgent: "fake-user-agent",
      path: "/fake-path/:id",
      method: "POST",
      status: 200,
      params: { id: "fake-id" },
      data: { result: "success" },
    });
    const interaction = JSON.parse(defined(byEvent.PostSignIn, "the PostSignIn request").body);
    expect(Object.keys(interaction)).toEqual([
      "hookId",
      "event",
      "createdAt",
      "sessionId",
      "userAgent",
      "userId",
      "userIp",
      "user",
      "application",
    ]);
    expect(interaction).toMatchObject({ sessionId: "fake-session-id", user: { username: "fake-user" } });

    for (const request of endpoint.requests) {
      expect(request.headers["x-form"]).toBe("yes");
      expect(request.headers["x-saved"]).toBeUndefined();
      expect(request.headers["logto-signature-sha-256"]).toBe(logtoSignature(hook.signingKey, request.body));
    }
    // Never stored, never counted.
    expect(await db.delivery.count()).toBe(0);
    expect(await db.event.count()).toBe(0);
  });

  it("answers 422 with the endpoint's status and body, as Logto, without retrying", async () => {
    const endpoint = await receiver([{ status: 500, body: "receiver exploded" }]);
    const hook = await createTestHook({ url: endpoint.url });
    const res = await call(testRoute.POST, {
      apiKey,
      params: { id: hook.id },
      body: { events: ["User.Created"], config: { url: endpoint.url } },
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      code: "hook.endpoint_responded_with_error",
      responseStatus: 500,
      responseBody: "receiver exploded",
    });
    expect(endpoint.requests).toHaveLength(1);
  });

  it("answers 422 send_test_payload_failed when the endpoint cannot be reached", async () => {
    const endpoint = await receiver();
    const closedUrl = endpoint.url;
    await endpoint.close();
    receivers.pop();
    const hook = await createTestHook({ url: closedUrl });
    const res = await call(testRoute.POST, {
      apiKey,
      params: { id: hook.id },
      body: { events: ["User.Created"], config: { url: closedUrl } },
    });
    expect(res.status).toBe(422);
    expect(errorOf(res).code).toBe("hook.send_test_payload_failed");
    expect(errorOf(res).message).toMatch(/ECONNREFUSED/);
  });

  it("reports every event with ?details=true", async () => {
    const endpoint = await receiver((request) =>
      JSON.parse(request.body).event === "User.Deleted" ? { status: 410, body: "gone" } : { status: 200, body: "thanks" },
    );
    const hook = await createTestHook({ url: endpoint.url });
    const res = await call(testRoute.POST, {
      apiKey,
      path: "/api/hooks/x/test?details=true",
      params: { id: hook.id },
      body: { events: ["User.Created", "User.Deleted"], config: { url: endpoint.url } },
    });
    expect(res.status).toBe(200);
    expect(bodyOf(res, testPayloadResultsSchema).results).toEqual([
      { event: "User.Created", ok: true, status: 200, durationMs: expect.any(Number), responseExcerpt: "thanks", error: null },
      { event: "User.Deleted", ok: false, status: 410, durationMs: expect.any(Number), responseExcerpt: "gone", error: "HTTP 410" },
    ]);
  });

  it("validates like saving a hook and 404s an unknown hook", async () => {
    const hook = await createTestHook({ url: "https://saved.example.com/hook" });
    const noEvents = await call(testRoute.POST, {
      apiKey,
      params: { id: hook.id },
      body: { events: [], config: { url: "https://a.example.com" } },
    });
    expect(noEvents.status).toBe(400);
    expect(errorOf(noEvents).fields?.[0]?.path).toBe("events");
    const badUrl = await call(testRoute.POST, {
      apiKey,
      params: { id: hook.id },
      body: { events: ["User.Created"], config: { url: "ftp://a.example.com" } },
    });
    expect(badUrl.status).toBe(400);
    expect(errorOf(badUrl).fields?.[0]?.path).toBe("config.url");
    const missing = await call(testRoute.POST, {
      apiKey,
      params: { id: "nosuchhook0000000000a" },
      body: { events: ["User.Created"], config: { url: "https://a.example.com" } },
    });
    expect(missing.status).toBe(404);
    expect((await call(testRoute.POST, { params: { id: hook.id }, body: {} })).status).toBe(401);
  });

  it("applies the SSRF rules: private URLs refused on input, rebinding names at connect time", async () => {
    const endpoint = await receiver();
    const hook = await createTestHook({ url: "https://saved.example.com/hook" });
    const strict = { allowLocalEndpoints: false };
    expect(testPayloadSchema(strict).safeParse({ events: ["User.Created"], config: { url: "https://10.0.0.1/hook" } }).success).toBe(false);
    const sender = createSender({ allowLocal: false, timeoutMs: 1_000, lookup: async () => [{ address: "127.0.0.1", family: 4 }] });
    try {
      const result = first(
        await sendTestPayloads(
          ctx,
          hook.id,
          { events: ["User.Created"], config: { url: `https://rebind.example.com:${endpoint.port}/hook`, headers: [] } },
          { sender },
        ),
      );
      expect(result).toMatchObject({ ok: false, status: null });
      expect(result.error).toMatch(/resolves to a loopback/);
    } finally {
      await sender.close();
    }
    expect(endpoint.requests).toHaveLength(0);
  });
});
