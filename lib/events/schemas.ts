// Ingestion input: `{event, data, context?, id?}`, one schema shared by the single and batch
// routes and by server code calling `emit`.
import { z } from "zod";
import { HOOK_EVENTS, isInteractionEvent, type HookEvent } from "@/lib/hooks/events";

/** Largest stored event (data + context as JSON), the same cap as the HTTP body of POST /api/events. */
export const MAX_EVENT_BYTES = 256 * 1024;
export const MAX_BATCH_EVENTS = 500;
/** The batch body may carry many events, each still capped at MAX_EVENT_BYTES. */
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** How long an idempotency key (`id`) replays its first answer. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

const jsonObject = z.record(z.string(), z.json());

const idString = z.string().max(256);
/** Logto caps each membership list at 5,000 ids (MEMBERSHIP_DELTA_CAP). */
const idList = z.array(idString).max(5000, "Use at most 5000 ids.");

/**
 * Every field Logto puts in a webhook payload next to `hookId`, `event`, `createdAt` and `data`
 * (read from Logto's packages/core libraries/hook and the routes that append hook context). They
 * arrive in the payload at the top level, where Logto puts them; which event may carry which is
 * CONTEXT_FIELDS_BY_EVENT below.
 */
const contextShape = {
  // The request or session behind any event.
  userAgent: z.string().max(2048),
  applicationId: z.string().max(256),
  /** A client identified by a metadata document URL instead of a registered application. */
  cimdClientId: z.string().max(2048),
  /** Logto sends {id, type, name, description} of the application. */
  application: jsonObject,
  sessionId: z.string().max(256),
  interactionEvent: z.enum(["SignIn", "Register", "ForgotPassword"], {
    error: 'interactionEvent is "SignIn", "Register" or "ForgotPassword".',
  }),
  // Interaction events: who signed in or registered.
  userId: z.string().max(256),
  userIp: z.string().max(64),
  user: jsonObject,
  /** PostSignInAdaptiveMfaTriggered: {requiresMfa, triggeredRules}. */
  adaptiveMfaResult: jsonObject,
  // Data and security events: the management API request that caused them.
  ip: z.string().max(64),
  path: z.string().max(2048),
  method: z.string().max(16),
  status: z.number().int().min(100).max(599),
  params: z.record(z.string(), z.string()),
  matchedRoute: z.string().max(2048),
  // Data events that name what changed.
  roleId: idString,
  organizationRoleId: idString,
  organizationId: idString,
  addedUserIds: idList,
  removedUserIds: idList,
  addedApplicationIds: idList,
  removedApplicationIds: idList,
  // Security events: Identifier.Lockout {type, value}, Message.RateLimited {action, recipient},
  // Grant.LimitExceeded {userId, applicationId | cimdClientId, revokedGrantIds, ...}.
  type: z.string().max(64),
  value: z.string().max(512),
  action: z.string().max(128),
  recipient: z.string().max(512),
  revokedGrantIds: idList,
  maxAllowedGrants: z.number().int().min(0),
  preRevocationActiveGrantCount: z.number().int().min(0),
};

/**
 * The context of `POST /api/events`: each known field's type is checked here (400); other keys
 * are let through to `unknownContextFields`, which names them with the event (422).
 */
export const eventContextSchema = z.looseObject(contextShape).partial();

export type EventContext = z.infer<typeof eventContextSchema>;
export type ContextKey = keyof typeof contextShape;
export const CONTEXT_KEYS = Object.keys(contextShape) as ContextKey[];

// Interaction events: the session and its user (Logto looks the application up; no applicationId).
/** Also the order in which the payload places them (lib/events/payload.ts), Logto's order. */
export const INTERACTION_FIELDS: ContextKey[] = [
  "interactionEvent",
  "sessionId",
  "userAgent",
  "userId",
  "userIp",
  "user",
  "application",
  "cimdClientId",
];
// Data and security events: the request's metadata (with the session's when an interaction caused
// them) and the management API request.
const API_FIELDS: ContextKey[] = [
  "userAgent",
  "applicationId",
  "cimdClientId",
  "application",
  "sessionId",
  "interactionEvent",
  "ip",
  "path",
  "method",
  "status",
  "params",
  "matchedRoute",
];

/** Fields particular to one event, on top of its kind's. */
const EVENT_FIELDS: Partial<Record<HookEvent, ContextKey[]>> = {
  PostSignInAdaptiveMfaTriggered: ["adaptiveMfaResult"],
  "Role.Scopes.Updated": ["roleId"],
  "OrganizationRole.Scopes.Updated": ["organizationRoleId"],
  "Organization.Membership.Updated": ["organizationId", "addedUserIds", "removedUserIds", "addedApplicationIds", "removedApplicationIds"],
  "Identifier.Lockout": ["type", "value"],
  "Message.RateLimited": ["action", "recipient"],
  "Grant.LimitExceeded": ["userId", "revokedGrantIds", "maxAllowedGrants", "preRevocationActiveGrantCount"],
};

// Accepted on every event since the first release of POST /api/events (a contract: requests that
// were valid stay valid). They go out after the event's usual fields when Logto would not send them.
const ANY_EVENT_FIELDS: ContextKey[] = [
  "sessionId",
  "userAgent",
  "userId",
  "userIp",
  "user",
  "application",
  "applicationId",
  "ip",
  "path",
  "method",
  "status",
  "params",
  "matchedRoute",
];

/** Which context fields each event takes: Logto's payload fields for it, and ANY_EVENT_FIELDS. */
export const CONTEXT_FIELDS_BY_EVENT: ReadonlyMap<HookEvent, ReadonlySet<string>> = new Map(
  HOOK_EVENTS.map((event) => [
    event,
    new Set([...(isInteractionEvent(event) ? INTERACTION_FIELDS : API_FIELDS), ...(EVENT_FIELDS[event] ?? []), ...ANY_EVENT_FIELDS]),
  ]),
);

const SET_BY_SERVICE: ReadonlySet<string> = new Set(["hookId", "event", "createdAt"]);

/** The context fields `event` does not take, each with why. */
export function unknownContextFields(event: HookEvent, context: Record<string, unknown>): { key: string; message: string }[] {
  const allowed = CONTEXT_FIELDS_BY_EVENT.get(event);
  return Object.keys(context)
    .filter((key) => !allowed?.has(key))
    .map((key) => ({
      key,
      message: SET_BY_SERVICE.has(key)
        ? `"${key}" is set by the webhook service; leave it out of the context.`
        : key === "data"
          ? `Send "data" next to "event", not in the context.`
          : `Logto's "${event}" payload has no "${key}" field.`,
    }));
}

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
