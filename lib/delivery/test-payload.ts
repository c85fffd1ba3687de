// "Send test payload" (Logto's POST /api/hooks/:id/test): one request per selected event, with
// anonymous sample data, to the URL and headers given (the form's current values), signed with
// the stored key. Sent for real through the same guarded client, never stored, never counted.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ServiceContext } from "@/lib/context";
import { openSigningKeys } from "@/lib/secrets/at-rest";
import { buildPayload } from "@/lib/events/payload";
import type { EventContext } from "@/lib/events/schemas";
import { isInteractionEvent, type HookEvent } from "@/lib/hooks/events";
import { hookConfigSchema, hookEventsSchema, type HookSchemaOptions, type TestPayloadResult } from "@/lib/hooks/schemas";
import { notFound, ServiceError } from "@/lib/errors";
import { buildRequestHeaders } from "./headers";
import type { Sender } from "./http";
import { outcomeError } from "./retry";
import { signatureHeaders } from "./signing";

export const testPayloadSchema = (options: HookSchemaOptions) => z.object({ events: hookEventsSchema, config: hookConfigSchema(options) });
export type TestPayloadInput = z.output<ReturnType<typeof testPayloadSchema>>;

const FAKE_USER_ID = "fake-id";

/** Logto's sample payload for an event: interaction events get a fake session, the others a fake request. */
export function samplePayload(hookId: string, event: HookEvent, now = new Date()) {
  if (isInteractionEvent(event)) {
    const context: EventContext = {
      sessionId: "fake-session-id",
      userAgent: "fake-user-agent",
      userId: FAKE_USER_ID,
      userIp: "fake-user-ip",
      user: {
        id: FAKE_USER_ID,
        username: "fake-user",
        primaryEmail: "fake-user@fake-service.com",
        primaryPhone: "1234567890",
        name: "Fake User",
        avatar: "https://fake-service.com/avatars/fake-user.png",
        customData: { theme: "light" },
        identities: { google: { userId: "fake-google-user-id" } },
        profile: {},
        applicationId: "fake-application-id",
        cimdClientId: null,
        isSuspended: false,
        lastSignInAt: now.getTime(),
        createdAt: now.getTime(),
        updatedAt: now.getTime(),
      },
      application: {
        id: "fake-spa-application-id",
        type: "SPA",
        name: "Fake Application",
        description: "Fake application data for testing",
      },
    };
    return buildPayload(hookId, { event, createdAt: now, context });
  }
  const context: EventContext = {
    userAgent: "fake-user-agent",
    path: "/fake-path/:id",
    method: "POST",
    status: 200,
    params: { id: FAKE_USER_ID },
  };
  return buildPayload(hookId, { event, createdAt: now, context, data: { result: "success" } });
}

/**
 * Sends `{events, config: {url, headers?}}` (testPayloadSchema, the same rules as saving a hook):
 * one request per event in parallel; a result per event, in the order given.
 */
export async function sendTestPayloads(
  ctx: ServiceContext,
  hookId: string,
  { events, config }: TestPayloadInput,
  options: { sender?: Sender } = {},
): Promise<TestPayloadResult[]> {
  const stored = await ctx.db.hook.findUnique({
    where: { id: hookId },
    select: { signingKey: true, previousSigningKey: true, previousKeyExpiresAt: true },
  });
  if (!stored) throw notFound("hook", hookId);
  const hook = openSigningKeys(stored);
  const sender = options.sender ?? ctx.sender;
  return Promise.all(
    events.map(async (event): Promise<TestPayloadResult> => {
      const now = ctx.clock.now();
      const body = samplePayload(hookId, event, now);
      const headers = buildRequestHeaders(config.headers, signatureHeaders({ keys: hook, messageId: randomUUID(), body, now }));
      const outcome = await sender.send({ url: config.url, headers, body });
      const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
      return {
        event,
        ok,
        status: outcome.status,
        durationMs: outcome.durationMs,
        responseExcerpt: outcome.responseBody,
        error: ok ? null : outcomeError(outcome),
      };
    }),
  );
}

/** Logto's answer when an endpoint did not answer 2xx: 422 with the first failing response. */
export function assertTestPayloadsSucceeded(results: TestPayloadResult[]) {
  const failed = results.find((result) => !result.ok);
  if (!failed) return;
  if (failed.status !== null) {
    throw new ServiceError("hook.endpoint_responded_with_error", `The endpoint answered ${failed.status} to ${failed.event}.`, {
      data: { responseStatus: failed.status, responseBody: failed.responseExcerpt ?? "" },
    });
  }
  throw new ServiceError("hook.send_test_payload_failed", `Sending ${failed.event} failed: ${failed.error}`);
}
