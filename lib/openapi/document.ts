// The OpenAPI 3.1 document (GET /api/openapi.json), generated from the zod schemas the routes
// validate with (zod 4's own z.toJSONSchema: no second copy of any schema, no extra dependency).
// Served publicly: it describes the contract only (paths, fields, status codes), holds no data or
// secret, and client generators and API explorers fetch it before they have a key.
import { z } from "zod";
import { createApiKeySchema, apiKeyOutputSchema, createdApiKeySchema } from "@/lib/api-keys/schemas";
import { callerSchema, credentialsSchema, setupResultSchema, setupSchema, signInResultSchema } from "@/lib/auth/schemas";
import { readinessAnswerSchema } from "@/lib/db/readiness";
import { ERROR_CODES, errorEnvelopeSchema, ServiceError } from "@/lib/errors";
import { acceptedBatchSchema, acceptedEventSchema, emitBatchInputSchema, emitInputSchema } from "@/lib/events/schemas";
import {
  createHookSchema,
  hookConfigSchema,
  hookEventsSchema,
  hookOutputSchema,
  hookQuerySchema,
  hookSchemaOptionsSchema,
  listHooksQuerySchema,
  regenerateSigningKeySchema,
  testPayloadResultsSchema,
  updateHookSchema,
} from "@/lib/hooks/schemas";
import { ERROR_STATUS } from "@/lib/http/errors";
import { logtoErrorBody, logtoErrorBodySchema } from "@/lib/http/logto-errors";
import { cronPassSchema } from "@/lib/jobs/cron";
import {
  deliveryDetailsSchema,
  deliveryPageSchema,
  hourlyStatsSchema,
  listDeliveriesQuerySchema,
  logtoHookLogSchema,
  overviewStatsSchema,
  recentLogsQuerySchema,
  recoverResultSchema,
  recoverSchema,
  sparklineMapSchema,
  sparklinesQuerySchema,
} from "@/lib/deliveries/schemas";

type Auth = "admin" | "ingest" | "session" | "public" | "cron";
/** A documented answer: its description and the contract of its JSON body (none: no body). */
type Answer = [status: number, description: string, body?: z.ZodType];
type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  auth: Auth;
  /** Logto's routes answer errors in Logto's codes and body (lib/http/logto-errors.ts). */
  logto?: true;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success answer; `also` lists other non-envelope answers (e.g. ?details=true, a 503 with a body). */
  ok: Answer;
  also?: Answer[];
  /** Error statuses beyond those implied by `auth`, `body`, `query` and path parameters. */
  errors?: number[];
  /** No database behind it: never a 503. */
  noDatabase?: true;
};

const options = { allowLocalEndpoints: false };

/** The document's own shape, as far as a client relies on it. */
const documentSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** Every route under app/api, by method; the test checks none is missing. */
export const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Liveness",
    auth: "public",
    noDatabase: true,
    ok: [200, "The process answers.", z.object({ status: z.literal("ok") })],
  },
  {
    method: "get",
    path: "/api/health/ready",
    summary: "Readiness (database and migrations)",
    auth: "public",
    ok: [200, "Ready.", readinessAnswerSchema],
    also: [[503, "Not ready: the database is unreachable or migrations are pending (which ones).", readinessAnswerSchema]],
  },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    auth: "public",
    noDatabase: true,
    ok: [200, "The OpenAPI document.", documentSchema],
  },
  {
    method: "post",
    path: "/api/auth/sign-in",
    summary: "Sign in (sets the session cookie)",
    auth: "public",
    body: credentialsSchema,
    ok: [200, "Signed in; the session is in the Set-Cookie header.", signInResultSchema],
    errors: [401, 429],
  },
  {
    method: "post",
    path: "/api/auth/setup",
    summary: "Create the first admin",
    auth: "public",
    body: setupSchema,
    ok: [201, "Admin created and signed in.", setupResultSchema],
    errors: [409],
  },
  { method: "post", path: "/api/auth/sign-out", summary: "Sign out", auth: "admin", ok: [204, "Signed out."] },
  { method: "get", path: "/api/auth/me", summary: "The signed-in admin or key", auth: "admin", ok: [200, "The caller.", callerSchema] },
  {
    method: "get",
    path: "/api/config",
    summary: "Server settings the console shows",
    auth: "admin",
    ok: [200, "Settings.", hookSchemaOptionsSchema],
  },
  {
    method: "post",
    path: "/api/events",
    summary: "Send one event",
    auth: "ingest",
    body: emitInputSchema,
    ok: [202, "Stored and queued: never lost.", acceptedEventSchema],
    errors: [422],
  },
  {
    method: "post",
    path: "/api/events/batch",
    summary: "Send up to 500 events",
    auth: "ingest",
    body: emitBatchInputSchema,
    ok: [202, "Stored and queued.", acceptedBatchSchema],
    errors: [422],
  },
  {
    method: "get",
    path: "/api/hooks",
    summary: "List webhooks (Logto)",
    auth: "admin",
    logto: true,
    query: listHooksQuerySchema,
    ok: [200, "Webhooks; Total-Number and Link headers when paged.", z.array(hookOutputSchema)],
  },
  {
    method: "post",
    path: "/api/hooks",
    summary: "Create a webhook (Logto)",
    auth: "admin",
    logto: true,
    body: createHookSchema(options),
    ok: [201, "The webhook.", hookOutputSchema],
  },
  {
    method: "get",
    path: "/api/hooks/{id}",
    summary: "Get a webhook (Logto)",
    auth: "admin",
    logto: true,
    query: hookQuerySchema,
    ok: [200, "The webhook.", hookOutputSchema],
  },
  {
    method: "patch",
    path: "/api/hooks/{id}",
    summary: "Update a webhook (Logto; config replaced whole)",
    auth: "admin",
    logto: true,
    body: updateHookSchema(options),
    ok: [200, "The webhook.", hookOutputSchema],
  },
  { method: "delete", path: "/api/hooks/{id}", summary: "Delete a webhook (Logto)", auth: "admin", logto: true, ok: [204, "Deleted."] },
  {
    method: "patch",
    path: "/api/hooks/{id}/signing-key",
    summary: "Regenerate the signing key (Logto)",
    auth: "admin",
    logto: true,
    body: regenerateSigningKeySchema,
    ok: [200, "The webhook with its new key.", hookOutputSchema],
  },
  {
    method: "post",
    path: "/api/hooks/{id}/test",
    summary: "Send test payloads (Logto); ?details=true answers every event's outcome",
    auth: "admin",
    logto: true,
    body: z.object({ events: hookEventsSchema, config: hookConfigSchema(options) }),
    ok: [204, "Every endpoint answered 2xx."],
    also: [[200, "With ?details=true: one result per event.", testPayloadResultsSchema]],
    errors: [409, 422],
  },
  {
    method: "get",
    path: "/api/hooks/{id}/recent-logs",
    summary: "Recent requests (Logto)",
    auth: "admin",
    logto: true,
    query: recentLogsQuerySchema,
    ok: [200, "Log entries, newest first; Total-Number and Link headers.", z.array(logtoHookLogSchema)],
  },
  {
    method: "get",
    path: "/api/hooks/{id}/deliveries",
    summary: "Deliveries of a webhook",
    auth: "admin",
    query: listDeliveriesQuerySchema,
    ok: [200, "Deliveries, newest first.", deliveryPageSchema],
  },
  {
    method: "get",
    path: "/api/hooks/{id}/deliveries/{deliveryId}",
    summary: "One delivery with its attempts",
    auth: "admin",
    ok: [200, "The delivery.", deliveryDetailsSchema],
  },
  {
    method: "post",
    path: "/api/hooks/{id}/deliveries/{deliveryId}/resend",
    summary: "Resend a delivery",
    auth: "admin",
    ok: [201, "A new delivery is queued: here it is.", deliveryDetailsSchema],
    errors: [409],
  },
  {
    method: "get",
    path: "/api/hooks/{id}/recover",
    summary: "How many failed requests a recovery would resend (since/until in epoch ms; default last 24 h)",
    auth: "admin",
    ok: [200, "The count and range.", recoverResultSchema],
    errors: [409],
  },
  {
    method: "post",
    path: "/api/hooks/{id}/recover",
    summary: "Resend every failed request in a range once",
    auth: "admin",
    body: recoverSchema,
    ok: [200, "How many were queued.", recoverResultSchema],
    errors: [409],
  },
  {
    method: "post",
    path: "/api/hooks/{id}/retry-now",
    summary: "Send a paused webhook's probe at once",
    auth: "admin",
    ok: [200, "The webhook.", hookOutputSchema],
    errors: [409],
  },
  {
    method: "get",
    path: "/api/hooks/{id}/stats",
    summary: "24 h stats of a webhook",
    auth: "admin",
    ok: [200, "Stats.", hourlyStatsSchema],
  },
  {
    method: "get",
    path: "/api/stats/overview",
    summary: "24 h stats of every webhook",
    auth: "admin",
    ok: [200, "Stats.", overviewStatsSchema],
  },
  {
    method: "get",
    path: "/api/stats/sparklines",
    summary: "Per-webhook sparklines",
    auth: "admin",
    query: sparklinesQuerySchema,
    ok: [200, "Series, by webhook id.", sparklineMapSchema],
  },
  {
    method: "get",
    path: "/api/api-keys",
    summary: "List API keys",
    auth: "admin",
    ok: [200, "Keys (names, prefixes, scopes; never the key).", z.array(apiKeyOutputSchema)],
  },
  {
    method: "post",
    path: "/api/api-keys",
    summary: "Create an API key (signed-in admin only)",
    auth: "session",
    body: createApiKeySchema,
    ok: [201, "The key, shown once.", createdApiKeySchema],
  },
  {
    method: "delete",
    path: "/api/api-keys/{id}",
    summary: "Revoke an API key (signed-in admin only)",
    auth: "session",
    ok: [204, "Revoked."],
  },
  {
    method: "get",
    path: "/api/cron/deliver",
    summary: "One bounded delivery pass (cron schedulers)",
    auth: "cron",
    ok: [200, "What the pass did.", cronPassSchema],
  },
  {
    method: "post",
    path: "/api/cron/deliver",
    summary: "One bounded delivery pass (cron schedulers)",
    auth: "cron",
    ok: [200, "What the pass did.", cronPassSchema],
  },
];

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  admin: [{ adminKey: [] }, { session: [] }],
  ingest: [{ ingestKey: [] }, { adminKey: [] }],
  session: [{ session: [] }],
  cron: [{ cronSecret: [] }],
  public: [],
};

const STATUS_TEXT: Record<number, string> = {
  400: "Invalid input (`fields` says which and why), malformed JSON, or a query or body no row can hold.",
  401: "Missing or invalid credentials.",
  403: "The credentials do not allow this (an ingest key on the management API, a key where a session is required, a cross-site request).",
  404: "Not found.",
  405: "Method not allowed (the run command's server answers it, with Allow).",
  409: "Conflict (the webhook is disabled, the request is still in progress, setup is done, the circuit is not open).",
  413: "Body too large.",
  422: "Unprocessable: an unknown event, or the endpoint answered the test payload with an error.",
  429: "Too many attempts; see Retry-After.",
  500: "Unexpected error (its message is never exposed).",
  503: "The database is unavailable (nothing was stored) or the server is busy. Retry after Retry-After.",
};

/**
 * A zod schema as JSON Schema (`input` for what a route accepts, `output` for what it answers).
 * Recursive parts (JSON values) come out as `$defs` with local refs; those move to
 * components.schemas (named after the operation) so the refs resolve in the document.
 */
function jsonSchemaWith(components: Record<string, unknown>, prefix: string) {
  return (schema: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> => {
    const {
      $defs,
      $schema: _dialect,
      ...generated
    } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown> & {
      $defs?: Record<string, unknown>;
    };
    const rename = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rename);
      if (value && typeof value === "object") {
        return Object.fromEntries(
          Object.entries(value).map(([key, inner]) =>
            key === "$ref" && typeof inner === "string" && inner.startsWith("#/$defs/")
              ? [key, `#/components/schemas/${prefix}${inner.slice(8)}`]
              : [key, rename(inner)],
          ),
        );
      }
      return value;
    };
    for (const [name, definition] of Object.entries($defs ?? {})) components[`${prefix}${name}`] = rename(definition);
    return rename(generated) as Record<string, unknown>;
  };
}

type JsonSchemaOf = ReturnType<typeof jsonSchemaWith>;

/** Query parameters from a zod object's input JSON Schema. */
function parameters(operation: Operation, jsonSchema: JsonSchemaOf) {
  const pathParams = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  if (!operation.query) return pathParams;
  const schema = jsonSchema(operation.query) as { properties?: Record<string, object>; required?: string[] };
  const query = Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
  return [...pathParams, ...query];
}

/** The error statuses an operation can answer with the envelope, from what every route checks (lib/http/route.ts). */
function errorStatuses(operation: Operation): number[] {
  const codes = new Set<number>(operation.errors ?? []);
  // Any query parameter no row can hold is refused (400); unexpected errors are 500.
  codes.add(400);
  codes.add(405);
  codes.add(500);
  if (operation.path.includes("{")) codes.add(404);
  if (operation.auth !== "public") codes.add(401);
  // Cookie sessions must be same-origin on changes; public POSTs (sign-in, setup) too.
  if (operation.auth !== "cron" && (operation.auth !== "public" || operation.method !== "get")) codes.add(403);
  if (operation.body) codes.add(413);
  if (!operation.noDatabase) codes.add(503);
  for (const [status] of [operation.ok, ...(operation.also ?? [])]) codes.delete(status);
  return [...codes].sort((a, b) => a - b);
}

/**
 * The codes an error status carries, from the one code → status table (lib/http/errors.ts); on
 * Logto's routes, in Logto's words where Logto has a code (lib/http/logto-errors.ts).
 */
function errorCodes(status: number, operation: Operation): string[] {
  const ours = ERROR_CODES.filter((code) => ERROR_STATUS[code] === status);
  if (!operation.logto) return [...ours];
  const method = operation.method.toUpperCase();
  return [...new Set(ours.map((code) => logtoErrorBody(new ServiceError(code, ""), method)?.code ?? code))];
}

function errorResponse(status: number, operation: Operation) {
  const envelope = operation.logto ? "LogtoError" : "Error";
  const codes = errorCodes(status, operation);
  return {
    description: STATUS_TEXT[status] ?? "Error.",
    content: {
      "application/json": { schema: { allOf: [{ $ref: `#/components/schemas/${envelope}` }], properties: { code: { enum: codes } } } },
    },
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  for (const operation of OPERATIONS) {
    const operationId = `${operation.method}${operation.path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`;
    const jsonSchema = jsonSchemaWith(schemas, `${operationId}_`);
    const responses: Record<string, unknown> = {};
    for (const [status, description, body] of [operation.ok, ...(operation.also ?? [])]) {
      responses[status] = body ? { description, content: { "application/json": { schema: jsonSchema(body, "output") } } } : { description };
    }
    for (const status of errorStatuses(operation)) {
      responses[status] = errorResponse(status, operation);
    }
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      summary: operation.summary,
      operationId,
      security: SECURITY[operation.auth],
      parameters: parameters(operation, jsonSchema),
      ...(operation.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.body) } } } }
        : {}),
      responses,
    };
  }
  const envelope = jsonSchemaWith(schemas, "Error_");
  return {
    openapi: "3.1.0",
    info: {
      title: "Webhook Console API",
      version: "0.1.0",
      description:
        "Event ingestion and webhook management. The management routes are Logto's (/api/hooks…), so Logto's management client works with an admin API key as its token.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        adminKey: { type: "http", scheme: "bearer", description: "An API key with scope admin (or API_KEY / API_KEY_NEXT)." },
        ingestKey: {
          type: "http",
          scheme: "bearer",
          description: "An API key with scope ingest: POST /api/events and /api/events/batch only.",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "wc_session",
          description: "The console's signed-in session (same-origin requests only).",
        },
        cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET." },
      },
      schemas: {
        ...schemas,
        Error: {
          ...envelope(errorEnvelopeSchema, "output"),
          description: "The one error envelope of our routes; `fields` with invalid input (which fields and why).",
        },
        LogtoError: {
          ...envelope(logtoErrorBodySchema, "output"),
          description: "Logto's error body, on Logto's routes (/api/hooks…); our `fields` ride along.",
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
