// Browser-side calls to our API: one place that turns the error envelope into an ApiError with
// field errors, so forms can show them inline.
import type { FieldError } from "@/lib/errors";
import type { ActionResult } from "@/lib/http/action-result";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Field messages keyed by path ("config.url"), for inline form errors. */
  fieldMap(): Record<string, string> {
    return Object.fromEntries(this.fields.map((field) => [field.path, field.message]));
  }
}

type ApiInit = { method?: string; body?: unknown; signal?: AbortSignal };

export async function apiFetch<T>(path: string, init: ApiInit = {}): Promise<T> {
  return (await apiFetchWithHeaders<T>(path, init)).data;
}

/** Like apiFetch, plus the response headers (e.g. `Total-Number` on paged lists). */
export async function apiFetchWithHeaders<T>(path: string, init: ApiInit = {}): Promise<{ data: T; headers: Headers }> {
  const response = await fetch(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    credentials: "same-origin",
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const envelope = (body ?? {}) as { code?: string; message?: string; fields?: FieldError[] };
    throw new ApiError(
      response.status,
      envelope.code ?? "error",
      envelope.message ?? `Request failed (${response.status})`,
      envelope.fields,
      (body ?? {}) as Record<string, unknown>,
    );
  }
  return { data: body as T, headers: response.headers };
}

/** A server action's answer, or an ApiError from its envelope: forms and toasts treat both alike. */
export async function unwrapAction<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const answer = await result;
  if (answer.ok) return answer.data;
  const { code, message, fields } = answer.error;
  throw new ApiError(answer.status, code, message, fields, answer.error);
}
