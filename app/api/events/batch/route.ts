import { emitBatch } from "@/lib/events/service";
import { MAX_BATCH_BYTES } from "@/lib/events/schemas";
import { plainRoute, readJson } from "@/lib/http/route";

// POST {events: [...]} (or a bare array), up to 500 → 202 {events: [{id, event, queued, replayed}], queued}.
export const POST = plainRoute("ingest", async ({ req }) => {
  const events = await emitBatch(await readJson(req, MAX_BATCH_BYTES));
  const queued = events.reduce((sum, event) => sum + (event.replayed ? 0 : event.queued), 0);
  return { status: 202, body: { events, queued } };
});
