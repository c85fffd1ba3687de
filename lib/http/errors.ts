// The one error envelope every API answer uses:
//   { "code": "validation_failed", "message": "…", "fields": [{ "path": "config.url", "message": "…" }] }
import { z } from "zod";

export type FieldError = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found.`);
export const unauthorized = (message = "Sign in or provide an API key.") =>
  new AppError(401, "unauthorized", message);
export const forbidden = (message: string) => new AppError(403, "forbidden", message);
export const badRequest = (message: string, fields?: FieldError[]) =>
  new AppError(400, "bad_request", message, fields);

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

export function validationError(error: z.ZodError, status = 400) {
  const fields = fieldErrorsOf(error);
  const summary = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join("; ");
  return new AppError(status, "validation_failed", `Invalid input. ${summary}`, fields);
}

/** Parses with a zod schema or throws the envelope's validation error. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, status = 400): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, status);
  return result.data;
}

export function errorBody(error: AppError) {
  return { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}), ...error.extra };
}
