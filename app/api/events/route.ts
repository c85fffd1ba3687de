import { parseOrThrow } from "@/lib/errors";
import { emitInputSchema, MAX_EVENT_BYTES } from "@/lib/events/schemas";
import { emit } from "@/lib/events/service";
import { plainRoute, readJson } from "@/lib/http/route";

// POST {event, data?, context?, id?} → 202 {id, event, queued}. A replayed idempotency key gets the
// first answer again, marked by the Idempotent-Replayed header. A plain route: the run command
// serves it on the lean Node path (lib/http/node-adapter.ts), Next serves it otherwise.
export const POST = plainRoute("ingest", async ({ req, ctx }) => {
  const { replayed, ...answer } = await emit(ctx, parseOrThrow(emitInputSchema, await readJson(req, MAX_EVENT_BYTES)));
  return { status: 202, body: answer, headers: replayed ? { "idempotent-replayed": "true" } : undefined };
});
