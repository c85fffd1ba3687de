// Ingestion input: `{event, data, context?, id?}`, one schema shared by the single and batch
// routes and by server code calling `emit`.
import { z } from "zod";

/** Largest stored event (data + context as JSON), the same cap as the HTTP body of POST /api/events. */
export const MAX_EVENT_BYTES = 256 * 1024;
export const MAX_BATCH_EVENTS = 500;
/** The batch body may carry many events, each still capped at MAX_EVENT_BYTES. */
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** How long an idempotency key (`id`) replays its first answer. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

const jsonObject = z.record(z.string(), z.json());

/**
 * Logto's context fields. Interaction events carry session fields, the others carry the
 * management API request; the payload builder places them where Logto does.
 */
export const eventContextSchema = z
  .object({
    sessionId: z.string().max(256),
    userAgent: z.string().max(2048),
    userId: z.string().max(256),
    userIp: z.string().max(64),
    user: jsonObject,
    application: jsonObject,
    applicationId: z.string().max(256),
    ip: z.string().max(64),
    path: z.string().max(2048),
    method: z.string().max(16),
    status: z.number().int().min(100).max(599),
    params: z.record(z.string(), z.string()),
    matchedRoute: z.string().max(2048),
  })
  .partial()
  .strict();

export type EventContext = z.infer<typeof eventContextSchema>;
export type ContextKey = keyof EventContext;
export const CONTEXT_KEYS = Object.keys(eventContextSchema.shape) as ContextKey[];

export const emitInputSchema = z.object({
  // Checked against the catalog after parsing: an unknown name is a 422, not a malformed body.
  event: z.string().min(1, "Give the event name.").max(128),
  data: z.json().optional(),
  context: eventContextSchema.optional(),
  id: z.string().min(1).max(200, "Use at most 200 characters.").optional(),
});

export type EmitInput = z.infer<typeof emitInputSchema>;

export const emitBatchInputSchema = z.object({
  events: z
    .array(emitInputSchema)
    .min(1, "Send at least one event.")
    .max(MAX_BATCH_EVENTS, `Send at most ${MAX_BATCH_EVENTS} events per batch.`),
});

/** The answer for one accepted event; a replayed idempotency key returns the first one. */
export const emitResultSchema = z.object({ id: z.string(), event: z.string(), queued: z.number().int(), replayed: z.boolean() });
export type EmitResult = z.infer<typeof emitResultSchema>;
/** `POST /api/events` → 202: the result without `replayed` (a replay says so in a header). */
export const acceptedEventSchema = emitResultSchema.omit({ replayed: true });
/** `POST /api/events/batch` → 202; `queued` counts the deliveries this batch created. */
export const acceptedBatchSchema = z.object({ events: z.array(emitResultSchema), queued: z.number().int() });
