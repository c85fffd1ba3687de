"use server";
// The console's hook mutations as server actions: the same schemas and services as the route
// handlers under app/api/hooks, behind the one action wrapper (lib/http/action.ts).
import { sendTestPayloads, testPayloadSchema } from "@/lib/delivery/test-payload";
import { parseOrThrow } from "@/lib/errors";
import { adminAction } from "@/lib/http/action";
import { createHookSchema, regenerateSigningKeySchema, updateHookSchema } from "./schemas";
import { createHook, deleteHook, regenerateSigningKey, retryHookNow, serverSchemaOptions, updateHook } from "./service";

export async function createHookAction(body: unknown) {
  return adminAction({ body }, (ctx) => createHook(ctx, parseOrThrow(createHookSchema(serverSchemaOptions(ctx)), body)));
}

export async function updateHookAction(id: string, body: unknown) {
  return adminAction({ ids: [id], body }, (ctx) => updateHook(ctx, id, parseOrThrow(updateHookSchema(serverSchemaOptions(ctx)), body)));
}

export async function deleteHookAction(id: string) {
  return adminAction({ ids: [id] }, (ctx) => deleteHook(ctx, id));
}

export async function regenerateSigningKeyAction(id: string, body: unknown) {
  return adminAction({ ids: [id], body }, (ctx) => regenerateSigningKey(ctx, id, parseOrThrow(regenerateSigningKeySchema, body)));
}

/** One result per event, as `POST /api/hooks/:id/test?details=true` answers. */
export async function sendTestPayloadAction(id: string, body: unknown) {
  return adminAction({ ids: [id], body }, (ctx) =>
    sendTestPayloads(ctx, id, parseOrThrow(testPayloadSchema(serverSchemaOptions(ctx)), body)),
  );
}

/** "Retry now" on a paused webhook, as `POST /api/hooks/:id/retry-now`. */
export async function retryNowAction(id: string) {
  return adminAction({ ids: [id] }, (ctx) => retryHookNow(ctx, id));
}
