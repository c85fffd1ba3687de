// The OpenAPI 3.1 document (GET /api/openapi.json), generated from the zod schemas the routes
// validate with (zod 4's own z.toJSONSchema: no second copy of any schema, no extra dependency).
// Served publicly: it describes the contract only (paths, fields, status codes), holds no data or
// secret, and client generators and API explorers fetch it before they have a key.
import { z } from "zod";
import { createApiKeySchema } from "@/lib/api-keys/schemas";
import { credentialsSchema, setupSchema } from "@/lib/auth/schemas";
import { emitBatchInputSchema, emitInputSchema } from "@/lib/events/schemas";
import { createHookSchema, hookConfigSchema, hookEventsSchema, hookQuerySchema, listHooksQuerySchema, regenerateSigningKeySchema, updateHookSchema } from "@/lib/hooks/schemas";
import { listDeliveriesQuerySchema, recentLogsQuerySchema, recoverSchema, sparklinesQuerySchema } from "@/lib/logs/schemas";

type Auth = "admin" | "ingest" | "session" | "public" | "cron";
type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  auth: Auth;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Success status and its description; errors are added from `auth` and `body`. */
  ok: [number, string];
  errors?: number[];
};

const options = { allowLocalEndpoints: false };

/** Every route under app/api, by method; the test checks none is missing. */
export const OPERATIONS: Operation[] = [
  { method: "get", path: "/api/health", summary: "Liveness", auth: "public", ok: [200, "The process answers."] },
  { method: "get", path: "/api/health/ready", summary: "Readiness (database and migrations)", auth: "public", ok: [200, "Ready."], errors: [503] },
  { method: "get", path: "/api/openapi.json", summary: "This document", auth: "public", ok: [200, "The OpenAPI document."] },
  { method: "post", path: "/api/auth/sign-in", summary: "Sign in (sets the session cookie)", auth: "public", body: credentialsSchema, ok: [204, "Signed in."], errors: [401, 429] },
  { method: "post", path: "/api/auth/setup", summary: "Create the first admin", auth: "public", body: setupSchema, ok: [201, "Admin created and signed in."], errors: [409] },
  { method: "post", path: "/api/auth/sign-out", summary: "Sign out", auth: "admin", ok: [204, "Signed out."] },
  { method: "get", path: "/api/auth/me", summary: "The signed-in admin or key", auth: "admin", ok: [200, "The caller."] },
  { method: "get", path: "/api/config", summary: "Server settings the console shows", auth: "admin", ok: [200, "Settings."] },
  { method: "post", path: "/api/events", summary: "Send one event", auth: "ingest", body: emitInputSchema, ok: [202, "Stored and queued: never lost."], errors: [413, 503] },
  { method: "post", path: "/api/events/batch", summary: "Send up to 500 events", auth: "ingest", body: emitBatchInputSchema, ok: [202, "Stored and queued."], errors: [413, 503] },
  { method: "get", path: "/api/hooks", summary: "List webhooks (Logto)", auth: "admin", query: listHooksQuerySchema, ok: [200, "Webhooks; Total-Number and Link headers when paged."] },
  { method: "post", path: "/api/hooks", summary: "Create a webhook (Logto)", auth: "admin", body: createHookSchema(options), ok: [201, "The webhook."] },
  { method: "get", path: "/api/hooks/{id}", summary: "Get a webhook (Logto)", auth: "admin", query: hookQuerySchema, ok: [200, "The webhook."], errors: [404] },
  { method: "patch", path: "/api/hooks/{id}", summary: "Update a webhook (Logto; config replaced whole)", auth: "admin", body: updateHookSchema(options), ok: [200, "The webhook."], errors: [404] },
  { method: "delete", path: "/api/hooks/{id}", summary: "Delete a webhook (Logto)", auth: "admin", ok: [204, "Deleted."], errors: [404] },
  { method: "patch", path: "/api/hooks/{id}/signing-key", summary: "Regenerate the signing key (Logto)", auth: "admin", body: regenerateSigningKeySchema, ok: [200, "The webhook with its new key."], errors: [404] },
  { method: "post", path: "/api/hooks/{id}/test", summary: "Send test payloads (Logto)", auth: "admin", body: z.object({ events: hookEventsSchema, config: hookConfigSchema(options) }), ok: [204, "Every endpoint answered 2xx."], errors: [404, 422] },
  { method: "get", path: "/api/hooks/{id}/recent-logs", summary: "Recent requests (Logto)", auth: "admin", query: recentLogsQuerySchema, ok: [200, "Log entries, newest first."], errors: [404] },
  { method: "get", path: "/api/hooks/{id}/deliveries", summary: "Deliveries of a webhook", auth: "admin", query: listDeliveriesQuerySchema, ok: [200, "Deliveries, newest first."], errors: [404] },
  { method: "get", path: "/api/hooks/{id}/deliveries/{deliveryId}", summary: "One delivery with its attempts", auth: "admin", ok: [200, "The delivery."], errors: [404] },
  { method: "post", path: "/api/hooks/{id}/deliveries/{deliveryId}/resend", summary: "Resend a delivery", auth: "admin", ok: [202, "A new delivery is queued."], errors: [404] },
  { method: "get", path: "/api/hooks/{id}/recover", summary: "How many failed requests a recovery would resend (since/until in epoch ms; default last 24 h)", auth: "admin", ok: [200, "The count and range."], errors: [404] },
  { method: "post", path: "/api/hooks/{id}/recover", summary: "Resend every failed request in a range once", auth: "admin", body: recoverSchema, ok: [200, "How many were queued."], errors: [404] },
  { method: "post", path: "/api/hooks/{id}/retry-now", summary: "Send a paused webhook's probe at once", auth: "admin", ok: [200, "The webhook."], errors: [404, 409] },
  { method: "get", path: "/api/hooks/{id}/stats", summary: "24 h stats of a webhook", auth: "admin", ok: [200, "Stats."], errors: [404] },
  { method: "get", path: "/api/stats/overview", summary: "24 h stats of every webhook", auth: "admin", ok: [200, "Stats."] },
  { method: "get", path: "/api/stats/sparklines", summary: "Per-webhook sparklines", auth: "admin", query: sparklinesQuerySchema, ok: [200, "Series."] },
  { method: "get", path: "/api/api-keys", summary: "List API keys", auth: "admin", ok: [200, "Keys (names, prefixes, scopes; never the key)."] },
  { method: "post", path: "/api/api-keys", summary: "Create an API key (signed-in admin only)", auth: "session", body: createApiKeySchema, ok: [201, "The key, shown once."] },
  { method: "delete", path: "/api/api-keys/{id}", summary: "Revoke an API key (signed-in admin only)", auth: "session", ok: [204, "Revoked."], errors: [404] },
  { method: "get", path: "/api/cron/deliver", summary: "One bounded delivery pass (cron schedulers)", auth: "cron", ok: [200, "What the pass did."] },
  { method: "post", path: "/api/cron/deliver", summary: "One bounded delivery pass (cron schedulers)", auth: "cron", ok: [200, "What the pass did."] },
];

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  admin: [{ adminKey: [] }, { session: [] }],
  ingest: [{ ingestKey: [] }, { adminKey: [] }],
  session: [{ session: [] }],
  cron: [{ cronSecret: [] }],
  public: [],
};

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request (malformed JSON or query).",
  401: "Missing or invalid credentials.",
  403: "The credentials do not allow this (an ingest key on the management API, a key where a session is required, a cross-site request).",
  404: "Not found.",
  405: "Method not allowed.",
  409: "Conflict.",
  413: "Body too large.",
  422: "Invalid input: `fields` says which and why.",
  429: "Too many attempts; see Retry-After.",
  500: "Unexpected error (its message is never exposed).",
  503: "The database is unavailable; nothing was stored. Retry after Retry-After.",
};

/**
 * A zod schema as JSON Schema. Recursive parts (JSON values) come out as `$defs` with local refs;
 * those move to components.schemas (named after the operation) so the refs resolve in the document.
 */
function jsonSchemaWith(components: Record<string, unknown>, prefix: string) {
  return (schema: z.ZodType): Record<string, unknown> => {
    const { $defs, $schema: _dialect, ...generated } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown> & { $defs?: Record<string, unknown> };
    const rename = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rename);
      if (value && typeof value === "object") {
        return Object.fromEntries(
          Object.entries(value).map(([key, inner]) =>
            key === "$ref" && typeof inner === "string" && inner.startsWith("#/$defs/") ? [key, `#/components/schemas/${prefix}${inner.slice(8)}`] : [key, rename(inner)],
          ),
        );
      }
      return value;
    };
    for (const [name, definition] of Object.entries($defs ?? {})) components[`${prefix}${name}`] = rename(definition);
    return rename(generated) as Record<string, unknown>;
  };
}

/** Query parameters from a zod object's input JSON Schema. */
function parameters(operation: Operation, jsonSchema: (schema: z.ZodType) => Record<string, unknown>) {
  const pathParams = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => ({ name: match[1], in: "path", required: true, schema: { type: "string" } }));
  if (!operation.query) return pathParams;
  const schema = jsonSchema(operation.query) as { properties?: Record<string, object>; required?: string[] };
  const query = Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, in: "query", required: schema.required?.includes(name) ?? false, schema: property }));
  return [...pathParams, ...query];
}

function statuses(operation: Operation): number[] {
  const codes = new Set<number>(operation.errors ?? []);
  if (operation.auth !== "public") codes.add(401);
  if (operation.auth === "admin" || operation.auth === "session") codes.add(403);
  if (operation.body) [400, 422].forEach((code) => codes.add(code));
  if (operation.query) codes.add(422);
  codes.add(405);
  codes.add(500);
  if (operation.auth !== "public") codes.add(503);
  return [...codes].sort((a, b) => a - b);
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  for (const operation of OPERATIONS) {
    const operationId = `${operation.method}${operation.path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? "").toUpperCase())}`;
    const jsonSchema = jsonSchemaWith(schemas, `${operationId}_`);
    const responses: Record<string, unknown> = {
      [operation.ok[0]]: operation.ok[0] === 204 ? { description: operation.ok[1] } : { description: operation.ok[1], content: { "application/json": { schema: {} } } },
    };
    for (const code of statuses(operation)) {
      responses[code] = { description: STATUS_TEXT[code] ?? "Error.", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    }
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      summary: operation.summary,
      operationId,
      security: SECURITY[operation.auth],
      parameters: parameters(operation, jsonSchema),
      ...(operation.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(operation.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Webhook Console API",
      version: "0.1.0",
      description: "Event ingestion and webhook management. The management routes are Logto's (/api/hooks…), so Logto's management client works with an admin API key as its token.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        adminKey: { type: "http", scheme: "bearer", description: "An API key with scope admin (or API_KEY / API_KEY_NEXT)." },
        ingestKey: { type: "http", scheme: "bearer", description: "An API key with scope ingest: POST /api/events and /api/events/batch only." },
        session: { type: "apiKey", in: "cookie", name: "wc_session", description: "The console's signed-in session (same-origin requests only)." },
        cronSecret: { type: "http", scheme: "bearer", description: "CRON_SECRET." },
      },
      schemas: {
        ...schemas,
        Error: {
          type: "object",
          description: "The one error envelope of every route.",
          required: ["code", "message"],
          properties: {
            code: { type: "string", description: "Machine-readable code (e.g. invalid_input, unauthorized, not_found, service_unavailable)." },
            message: { type: "string" },
            fields: { type: "array", description: "With invalid_input: which fields and why.", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
          },
        },
      },
    },
  };
}
