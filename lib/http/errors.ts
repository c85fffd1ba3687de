// The HTTP side of errors: the one code → status table, and the single error envelope
//   { "code": "validation_failed", "message": "…", "fields": [{ "path": "config.url", "message": "…" }] }
// Route handlers (lib/http/route.ts), the lean ingest path (lib/http/node-adapter.ts) and server
// actions all answer errors through `errorAnswer`.
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { ServiceError, type ErrorCode } from "@/lib/errors";
import { logger } from "@/lib/observability/log";
import { logtoErrorBody } from "./logto-errors";

const log = () => logger("api");

export const ERROR_STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unknown_event: 422,
  "hook.missing_events": 400,
  invalid_path: 400,
  method_not_allowed: 405,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  too_many_attempts: 429,
  server_busy: 503,
  setup_token_required: 403,
  not_found: 404,
  setup_done: 409,
  hook_disabled: 409,
  delivery_in_progress: 409,
  circuit_closed: 409,
  "hook.endpoint_responded_with_error": 422,
  "hook.send_test_payload_failed": 422,
  service_unavailable: 503,
  internal_error: 500,
};

/** An error answer as data: the lean path writes it as is, Next routes and server actions wrap it. */
export type ErrorAnswer = {
  status: number;
  headers?: Record<string, string>;
  body: { code: string; message: string } & Record<string, unknown>;
};

export function errorBody(error: ServiceError) {
  return { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}), ...error.data };
}

/** Our envelope everywhere; Logto's codes and body on Logto's routes (lib/http/logto-errors.ts). */
export type ErrorDialect = { kind: "ours" } | { kind: "logto"; method: string };
const OURS: ErrorDialect = { kind: "ours" };

/** Any error as the envelope: a ServiceError's status from the table, 503 when the database is unreachable, else 500. */
export function errorAnswer(error: unknown, dialect: ErrorDialect = OURS): ErrorAnswer {
  if (error instanceof ServiceError) {
    const retryAfter = error.data?.retryAfterSeconds;
    return {
      status: ERROR_STATUS[error.code],
      headers: typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : undefined,
      body: (dialect.kind === "logto" ? logtoErrorBody(error, dialect.method) : null) ?? errorBody(error),
    };
  }
  if (isDatabaseUnavailable(error)) {
    log().error({ error: error instanceof Error ? error.message : String(error) }, "database unavailable");
    return {
      status: ERROR_STATUS.service_unavailable,
      headers: { "retry-after": "5" },
      body: { code: "service_unavailable", message: "The database is unavailable. Nothing was stored; try again shortly." },
    };
  }
  // Unknown errors are logged for operators and never leak their message to the client.
  log().error({ err: error }, "unexpected error");
  return { status: ERROR_STATUS.internal_error, body: { code: "internal_error", message: "Something went wrong on our side." } };
}
