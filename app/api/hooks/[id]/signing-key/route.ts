import { parseOrThrow } from "@/lib/errors";
import { regenerateSigningKeySchema } from "@/lib/hooks/schemas";
import { apiRoute, json, readJson, LOGTO_ERRORS } from "@/lib/http/route";
import { regenerateSigningKey } from "@/lib/hooks/service";

const MAX_BODY_BYTES = 4 * 1024;

/**
 * Logto's clients send this PATCH with no body at all (and fetch sends no Content-Length on a
 * bodyless PATCH, so the header cannot tell); ours may send `{gracePeriodHours}`.
 */
async function optionalJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === "") return {};
  return readJson(new Request(req.url, { method: "POST", body: text }), MAX_BODY_BYTES);
}

export const PATCH = apiRoute<{ id: string }>(
  "admin",
  async ({ params, req, ctx }) =>
    json(await regenerateSigningKey(ctx, params.id, parseOrThrow(regenerateSigningKeySchema, await optionalJson(req)))),
  LOGTO_ERRORS,
);
