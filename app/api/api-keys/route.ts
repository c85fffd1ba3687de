import { createApiKeySchema } from "@/lib/api-keys/schemas";
import { createApiKey, listApiKeys } from "@/lib/api-keys/service";
import { parseOrThrow } from "@/lib/errors";
import { apiRoute, json, readJson } from "@/lib/http/route";

export const GET = apiRoute("admin", async ({ ctx }) => json(await listApiKeys(ctx)));

// A signed-in admin only: an API key never mints keys (one leaked key must not outlive its revocation).
export const POST = apiRoute("session", async ({ req, ctx }) => {
  const input = parseOrThrow(createApiKeySchema, await readJson(req, 16 * 1024));
  return json(await createApiKey(ctx, input), { status: 201 });
});
