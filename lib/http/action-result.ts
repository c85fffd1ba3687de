// What a console server action answers (browser-safe: the client unwraps it into an ApiError).
// The error is the API's one envelope, with the status a route handler would have answered.
import type { FieldError } from "@/lib/errors";

export type ActionError = { code: string; message: string; fields?: FieldError[] } & Record<string, unknown>;

export type ActionResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ActionError };
