import { parseOrThrow } from "@/lib/errors";
import { emitBatchInputSchema, MAX_BATCH_BYTES } from "@/lib/events/schemas";
import { emitBatch } from "@/lib/events/service";
import { plainRoute, readJson } from "@/lib/http/route";

// POST {events: [...]} (or a bare array), up to 500 → 202 {events: [{id, event, queued, replayed}], queued}.
export const POST = plainRoute("ingest", async ({ req, ctx }) => {
  const body = await readJson(req, MAX_BATCH_BYTES);
  // A bare array is the same as {events: [...]}.
  const input = parseOrThrow(emitBatchInputSchema, Array.isArray(body) ? { events: body } : body);
  const events = await emitBatch(ctx, input.events);
  const queued = events.reduce((sum, event) => sum + (event.replayed ? 0 : event.queued), 0);
  return { status: 202, body: { events, queued } };
});
