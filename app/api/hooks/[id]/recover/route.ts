import { parseOrThrow } from "@/lib/errors";
import { apiRoute, json, readJson } from "@/lib/http/route";
import { previewRecovery, recoverFailed } from "@/lib/deliveries/recover";
import { recoverSchema } from "@/lib/deliveries/schemas";

type Params = { id: string };

/** How many failed requests a recovery would queue (`since`/`until` in epoch ms; default last 24 h). */
export const GET = apiRoute<Params>("admin", async ({ params, url, ctx }) => {
  const number = (name: string) => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : undefined);
  return json(await previewRecovery(ctx, params.id, parseOrThrow(recoverSchema, { since: number("since"), until: number("until") })));
});

/** Resends every failed request in the range once: `{since?, until?}` → `{queued, eligible, since, until}`. */
export const POST = apiRoute<Params>("admin", async ({ req, params, ctx }) => {
  const body = req.headers.get("content-length") === "0" ? {} : await readJson(req, 4 * 1024);
  const { batches: _batches, ...result } = await recoverFailed(ctx, params.id, parseOrThrow(recoverSchema, body ?? {}));
  return json(result);
});
