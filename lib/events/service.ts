// Ingestion: an accepted event and one delivery per subscribed, enabled webhook are stored in ONE
// statement (hence one transaction); then workers are woken with NOTIFY. Plain inputs and
// outputs only, so a lean HTTP path can mount this without Next.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { at, first } from "@/lib/assert";
import type { ServiceContext } from "@/lib/context";
import type { Query } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { createBatcher } from "@/lib/delivery/batcher";
import { wakeWorkers } from "@/lib/delivery/queue";
import { isHookEvent } from "@/lib/hooks/events";
import { ServiceError, type FieldError } from "@/lib/errors";
import { payloadTemplate } from "./payload";
import { IDEMPOTENCY_WINDOW_MS, MAX_EVENT_BYTES, unknownContextFields, type EmitInput, type EmitResult } from "./schemas";

type Prepared = {
  id: string;
  key: string | null;
  event: string;
  data: unknown;
  context: unknown;
  createdAt: Date;
  prefix: string;
  suffix: string;
};

/**
 * Stores one event `{event, data?, context?, id?}` (parsed at the edge by emitInputSchema) and
 * queues its deliveries; the event name and the size are checked here, so no caller can skip
 * them. Same `id` within 24 h: the first answer, nothing queued.
 */
export async function emit(ctx: ServiceContext, input: EmitInput): Promise<EmitResult> {
  return first(await emitMany(ctx, [input], ""));
}

/** Up to MAX_BATCH_EVENTS events (emitBatchInputSchema); all checked before any is stored. */
export async function emitBatch(ctx: ServiceContext, events: EmitInput[]): Promise<EmitResult[]> {
  return emitMany(ctx, events, "events.");
}

function check(inputs: EmitInput[], pathPrefix: string) {
  const unknown: FieldError[] = [];
  const foreign: FieldError[] = [];
  const tooLarge: FieldError[] = [];
  inputs.forEach((input, index) => {
    const at = pathPrefix ? `${pathPrefix}${index}.` : "";
    if (!isHookEvent(input.event)) unknown.push({ path: `${at}event`, message: `Unknown event "${input.event}".` });
    else if (input.context) {
      for (const { key, message } of unknownContextFields(input.event, input.context))
        foreign.push({ path: `${at}context.${key}`, message });
    }
    const bytes = Buffer.byteLength(JSON.stringify({ data: input.data ?? null, context: input.context ?? {} }));
    if (bytes > MAX_EVENT_BYTES) {
      tooLarge.push({ path: at || "data", message: `The event is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}.` });
    }
  });
  if (tooLarge.length > 0) {
    throw new ServiceError("payload_too_large", `An event exceeds ${MAX_EVENT_BYTES / 1024} KB.`, { fields: tooLarge });
  }
  if (unknown.length > 0) {
    throw new ServiceError("unknown_event", unknown.map((f) => f.message).join(" "), { fields: unknown });
  }
  if (foreign.length > 0) {
    throw new ServiceError("validation_failed", foreign.map((f) => f.message).join(" "), { fields: foreign });
  }
}

function prepare(ctx: ServiceContext, input: EmitInput): Prepared {
  const createdAt = ctx.clock.now();
  return {
    id: randomUUID(),
    key: input.id ?? null,
    event: input.event,
    data: input.data ?? null,
    context: input.context ?? {},
    createdAt,
    ...payloadTemplate({ event: input.event, createdAt, context: input.context, data: input.data }),
  };
}

// Concurrent single emits share statements (see createBatcher): that is what lets one process
// ingest thousands of events per second through one commit per statement.
// One batcher per context's pool (a transaction's context shares its pool's).
const batchers = new WeakMap<Query, (item: Prepared) => Promise<EmitResult>>();
function ingest(ctx: ServiceContext, item: Prepared) {
  let batcher = batchers.get(ctx.query);
  if (!batcher) {
    batcher = createBatcher<Prepared, EmitResult>((items) => store(ctx, items), { maxBatch: 500, maxConcurrent: 4 });
    batchers.set(ctx.query, batcher);
  }
  return batcher(item);
}

async function emitMany(ctx: ServiceContext, inputs: EmitInput[], pathPrefix: string): Promise<EmitResult[]> {
  check(inputs, pathPrefix);
  if (inputs.length === 1) return [await ingest(ctx, prepare(ctx, at(inputs, 0)))];
  // A key repeated inside one batch answers like its first occurrence.
  const firstByKey = new Map<string, number>();
  const prepared: Prepared[] = [];
  const repeats = new Set<number>();
  const slot: number[] = inputs.map((input, position) => {
    if (input.id !== undefined) {
      const seen = firstByKey.get(input.id);
      if (seen !== undefined) {
        repeats.add(position);
        return seen;
      }
      firstByKey.set(input.id, prepared.length);
    }
    prepared.push(prepare(ctx, input));
    return prepared.length - 1;
  });

  const answers = await store(ctx, prepared); // one answer per prepared event, so every slot is in range
  return slot.map((index, position) => {
    const answer = at(answers, index);
    return repeats.has(position) ? { ...answer, replayed: true } : answer;
  });
}

/**
 * Inserts what is new; keys already used (before, or earlier in `items`) answer with the stored
 * event. Results in input order.
 */
async function store(ctx: ServiceContext, items: Prepared[]): Promise<EmitResult[]> {
  const results = new Map<string, EmitResult>();
  let pending = items;
  // Round two only happens when a key was last used more than 24 h ago and is released for reuse.
  for (let round = 0; round < 3 && pending.length > 0; round++) {
    const inserted = await insertEvents(ctx.query, pending);
    for (const item of pending) {
      const row = inserted.get(item.id);
      if (row) results.set(item.id, { id: item.id, event: item.event, queued: row.queued, replayed: false });
    }
    const conflicted = pending.filter((item) => !inserted.has(item.id) && item.key !== null);
    if (conflicted.length === 0) break;
    const keys = conflicted.map((item) => item.key as string);
    const existing = await ctx.db.event.findMany({
      where: { idempotencyKey: { in: keys } },
      select: { id: true, event: true, queued: true, createdAt: true, idempotencyKey: true },
    });
    const cutoff = ctx.clock.now().getTime() - IDEMPOTENCY_WINDOW_MS;
    const byKey = new Map(existing.map((event) => [event.idempotencyKey, event]));
    const expired: string[] = [];
    pending = [];
    for (const item of conflicted) {
      const first = byKey.get(item.key);
      if (first && first.createdAt.getTime() >= cutoff) {
        results.set(item.id, { id: first.id, event: first.event, queued: first.queued, replayed: true });
      } else {
        if (first) expired.push(first.idempotencyKey as string);
        pending.push(item);
      }
    }
    if (expired.length > 0) {
      await ctx.db.event.updateMany({
        where: { idempotencyKey: { in: expired }, createdAt: { lt: new Date(cutoff) } },
        data: { idempotencyKey: null },
      });
    }
  }
  return items.map((item) => {
    const result = results.get(item.id);
    if (!result) throw new Error(`Event ${item.id} could be neither stored nor replayed.`);
    return result;
  });
}

async function insertEvents(query: Query, items: Prepared[]) {
  // One statement: the hook match, the event rows and the delivery rows commit or fail together.
  // Each body is the event's template around the hook id, so the JSON is built once.
  // Keys in one order for every statement, so two statements racing on the same keys cannot deadlock.
  const ordered = [...items].sort((a, b) => (a.key ?? "").localeCompare(b.key ?? ""));
  const rows = await insertRacingDeletes(query, JSON.stringify(ordered));
  if (rows.some((row) => row.queued > 0)) wakeWorkers();
  return new Map(rows.map((row) => [row.id, { queued: row.queued }]));
}

const isDeletedHookRace = (error: unknown) =>
  error instanceof Error &&
  (error as { code?: unknown }).code === "23503" &&
  (error as { constraint?: unknown }).constraint === "Delivery_hookId_fkey";

/** What the insert answers per event: its id and how many deliveries it queued. */
const insertedEventSchema = z.object({ id: z.string(), queued: z.number().int() });

/**
 * A hook deleted while the statement runs (committed after its snapshot) fails the delivery
 * insert's foreign key, and with it the whole statement: nothing is stored. Running it again
 * matches only the hooks that still exist. Retrying costs nothing on the common path, where a
 * row lock on every matched hook would write to the hook rows on every ingest.
 */
async function insertRacingDeletes(query: Query, input: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return rowsOf(insertedEventSchema, await query(INSERT_EVENTS, [input], "wc_insert_events"), "the event insert");
    } catch (error) {
      if (!isDeletedHookRace(error) || attempt >= 10) throw error;
    }
  }
}

// Prepared once per connection (see `query`): the hot statement of ingestion.
const INSERT_EVENTS = `
    WITH input AS (
      SELECT * FROM json_to_recordset($1::json)
        AS t(id uuid, key text, event text, data jsonb, context jsonb, "createdAt" timestamptz, prefix text, suffix text)
    ),
    -- Logto's rule (subscribedEvents in lib/hooks/schemas.ts): "events", or while it is empty
    -- the legacy single "event".
    matches AS (
      SELECT i.id AS event_id, h.id AS hook_id
      FROM input i JOIN "Hook" h
        ON h.enabled AND (i.event = ANY (h.events) OR (cardinality(h.events) = 0 AND h.event = i.event))
    ),
    -- Grouped once: a count subquery per event scanned every match, quadratic in the batch size
    -- (half the statement's time at 500 events).
    counts AS (SELECT event_id, count(*)::int AS n FROM matches GROUP BY event_id),
    ev AS (
      INSERT INTO "Event" (id, "idempotencyKey", event, data, context, queued, "createdAt")
      SELECT i.id, i.key, i.event, coalesce(i.data, 'null'::jsonb), coalesce(i.context, '{}'::jsonb),
             coalesce(c.n, 0), i."createdAt"
      FROM input i LEFT JOIN counts c ON c.event_id = i.id
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING id, queued
    ),
    del AS (
      INSERT INTO "Delivery" (id, "hookId", "eventId", event, "requestBody", "createdAt")
      SELECT gen_random_uuid(), m.hook_id, i.id, i.event, i.prefix || to_json(m.hook_id)::text || i.suffix, i."createdAt"
      FROM ev JOIN input i ON i.id = ev.id JOIN matches m ON m.event_id = ev.id
      RETURNING 1
    )
    SELECT ev.id::text AS id, ev.queued::int AS queued FROM ev`;
