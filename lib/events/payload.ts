// Logto's webhook payload: `{hookId, event, createdAt, ...context, data}`. The bytes are built
// once, when a delivery is created, and re-sent unchanged on every attempt.
import { isInteractionEvent } from "@/lib/hooks/events";
import { CONTEXT_KEYS, INTERACTION_FIELDS, type ContextKey, type EventContext } from "./schemas";

// Where Logto places context: interaction events carry the session (in the order of their
// fields, INTERACTION_FIELDS), the others the API request.
const DATA_ORDER: ContextKey[] = ["userAgent", "ip", "path", "method", "status", "params"];

export type PayloadInput = {
  event: string;
  createdAt: Date;
  context?: EventContext;
  /** Omitted from the payload when undefined, as Logto's interaction payloads have no `data`. */
  data?: unknown;
};

/**
 * The payload split around the hook id, so one event can be stored for many hooks (in SQL or
 * here) without serializing the event once per hook: body = prefix + JSON(hookId) + suffix.
 */
export function payloadTemplate(input: PayloadInput) {
  const context = input.context ?? {};
  const first = isInteractionEvent(input.event) ? INTERACTION_FIELDS : DATA_ORDER;
  // The event's own fields (CONTEXT_FIELDS_BY_EVENT: membership lists, security fields...) follow.
  const order = [...first, ...CONTEXT_KEYS.filter((key) => !first.includes(key))];
  const rest: Record<string, unknown> = { event: input.event, createdAt: input.createdAt.toISOString() };
  for (const key of order) if (context[key] !== undefined) rest[key] = context[key];
  if (input.data !== undefined) rest.data = input.data;
  return { prefix: '{"hookId":', suffix: `,${JSON.stringify(rest).slice(1)}` };
}

export function buildPayload(hookId: string, input: PayloadInput) {
  const { prefix, suffix } = payloadTemplate(input);
  return prefix + JSON.stringify(hookId) + suffix;
}
