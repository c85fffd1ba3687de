"use server";
// Creating and revoking API keys from the console: the services behind /api/api-keys, which
// take a signed-in session there too (an API key never mints or revokes keys).
import { adminAction } from "@/lib/http/action";
import { parseOrThrow } from "@/lib/errors";
import { createApiKeySchema } from "./schemas";
import { createApiKey, revokeApiKey } from "./service";

export async function createApiKeyAction(body: unknown) {
  return adminAction({ body }, (ctx) => createApiKey(ctx, parseOrThrow(createApiKeySchema, body)));
}

export async function revokeApiKeyAction(id: string) {
  return adminAction({ ids: [id] }, (ctx) => revokeApiKey(ctx, id));
}
