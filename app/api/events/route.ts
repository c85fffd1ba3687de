import { emit } from "@/lib/events/service";
import { MAX_EVENT_BYTES } from "@/lib/events/schemas";
import { apiRoute, json, readJson } from "@/lib/http/route";

// POST {event, data?, context?, id?} → 202 {id, event, queued}. A replayed idempotency key gets the
// first answer again, marked by the Idempotent-Replayed header.
export const POST = apiRoute("admin", async ({ req }) => {
  const { replayed, ...answer } = await emit(await readJson(req, MAX_EVENT_BYTES));
  return json(answer, { status: 202, headers: replayed ? { "idempotent-replayed": "true" } : undefined });
});
