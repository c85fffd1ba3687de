// What a service says when it cannot do what it was asked: a code from a closed list, a message
// for people, and optionally field-level detail. Services never pick an HTTP status; the HTTP
// layer alone maps a code to one (lib/http/errors.ts). Browser-safe (zod only): the forms use
// `fieldErrorsOf` to show the same messages the server would answer.
import { z } from "zod";

export const ERROR_CODES = [
  // Input
  "validation_failed",
  "invalid_json",
  "payload_too_large",
  "unknown_event",
  "hook.missing_events",
  "invalid_path",
  "method_not_allowed",
  // Who is asking
  "unauthorized",
  "invalid_credentials",
  "forbidden",
  "too_many_attempts",
  "server_busy",
  "setup_token_required",
  // State
  "not_found",
  "setup_done",
  "hook_disabled",
  "delivery_in_progress",
  "circuit_closed",
  // Logto's names for the test endpoint's outcomes (its clients read them)
  "hook.endpoint_responded_with_error",
  "hook.send_test_payload_failed",
  // Infrastructure
  "service_unavailable",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** The one error envelope (lib/http/errors.ts); extra detail (e.g. the test endpoint's responseStatus) rides along. */
export const errorEnvelopeSchema = z.looseObject({ code: z.string(), message: z.string(), fields: z.array(fieldErrorSchema).optional() });
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** What a missing thing is, so an API dialect (Logto's) can name it its own way. */
export type MissingResource = { kind: "hook" | "delivery" | "api_key" | "resource"; id?: string };

export type ServiceErrorOptions = {
  fields?: FieldError[];
  /** Which part of a request was invalid (Logto's message names it); the body unless said. */
  input?: "body" | "query";
  /** Structured detail for the client (e.g. the test endpoint's response status and body). */
  data?: Record<string, unknown>;
  resource?: MissingResource;
};

export class ServiceError extends Error {
  readonly fields?: FieldError[];
  readonly data?: Record<string, unknown>;
  readonly resource?: MissingResource;
  readonly input?: "body" | "query";

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ServiceErrorOptions = {},
  ) {
    super(message);
    this.name = "ServiceError";
    this.fields = options.fields;
    this.data = options.data;
    this.resource = options.resource;
    this.input = options.input;
  }
}

const RESOURCE_LABEL: Record<MissingResource["kind"], string> = {
  hook: "Hook",
  delivery: "Request",
  api_key: "API key",
  resource: "Resource",
};

export const notFound = (kind: MissingResource["kind"], id?: string) =>
  new ServiceError("not_found", `${RESOURCE_LABEL[kind]} not found.`, { resource: { kind, id } });

export const unauthorized = (message = "Sign in or provide an API key.") => new ServiceError("unauthorized", message);

export const forbidden = (message: string) => new ServiceError("forbidden", message);

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/** The one place `validation_failed` is built: the message lists every field problem. */
export function invalidInput(fields: FieldError[], input: "body" | "query" = "body") {
  const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join("; ");
  return new ServiceError("validation_failed", `Invalid input. ${summary}`, { fields, input });
}

/** Parses with a shared zod schema at the edge, or throws `validation_failed` with every field error. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, part: "body" | "query" = "body"): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(fieldErrorsOf(result.error), part);
  return result.data;
}
