// Validation glue shared by the create modal and the settings form: runs the shared hook schema
// on the form's values and turns its issues (or the server's field errors) into inline messages.
import type { z } from "zod";
import { ApiError } from "@/lib/client/api";
import { fieldErrorsOf, type FieldError } from "@/lib/errors";
import { hookFormSchema, type HookSchemaOptions } from "@/lib/hooks/schemas";
import type { HeaderRow, HeaderRowErrors } from "./headers-editor";

export type HookFormState = { name: string; url: string; events: string[]; headers: HeaderRow[] };

export type HookFormErrors = {
  name?: string;
  url?: string;
  events?: string;
  /** About the headers as a whole (e.g. too many). */
  headers?: string;
  headerRows?: HeaderRowErrors;
  /** Anything that belongs to no field. */
  form?: string;
};

export type ParsedHookForm = z.output<ReturnType<typeof hookFormSchema>>;

export const hasErrors = (errors: HookFormErrors) =>
  Object.entries(errors).some(([key, value]) => (key === "headerRows" ? Object.keys(value ?? {}).length > 0 : Boolean(value)));

/** Maps field paths of the shared schema ("config.headers.2.key") onto the form's fields. */
export function toFormErrors(fields: FieldError[], rows: HeaderRow[]): HookFormErrors {
  const errors: HookFormErrors = {};
  const headerRows: HeaderRowErrors = {};
  for (const { path, message } of fields) {
    const row = /^config\.headers\.(\d+)\.(key|value)$/.exec(path);
    const rowId = row ? rows[Number(row[1])]?.id : undefined;
    if (row && rowId) {
      const part = row[2] === "key" ? "key" : "value";
      headerRows[rowId] = { ...headerRows[rowId], [part]: headerRows[rowId]?.[part] ?? message };
    } else if (path === "name" || path === "events") {
      errors[path] ??= message;
    } else if (path === "config.url" || path === "config") {
      errors.url ??= message;
    } else if (path.startsWith("config.headers")) {
      errors.headers ??= message;
    } else {
      errors.form ??= message;
    }
  }
  if (Object.keys(headerRows).length > 0) errors.headerRows = headerRows;
  return errors;
}

export function validateHookForm(
  values: HookFormState,
  options: HookSchemaOptions,
): { data: ParsedHookForm; errors?: undefined } | { data?: undefined; errors: HookFormErrors } {
  const result = hookFormSchema(options).safeParse({
    name: values.name,
    events: values.events,
    config: { url: values.url, headers: values.headers.map(({ key, value }) => ({ key, value })) },
  });
  return result.success ? { data: result.data } : { errors: toFormErrors(fieldErrorsOf(result.error), values.headers) };
}

/** The server's verdict on a submitted form: field errors inline, anything else as a message. */
export function serverFormErrors(error: unknown, rows: HeaderRow[], fallback: string): HookFormErrors {
  if (error instanceof ApiError) {
    const errors = toFormErrors(error.fields, rows);
    return hasErrors(errors) ? errors : { form: error.message };
  }
  return { form: fallback };
}

/** Moves focus to the first field marked invalid once React has rendered the errors. */
export function focusFirstError(root: HTMLElement) {
  requestAnimationFrame(() => {
    root.querySelector<HTMLElement>('input[aria-invalid="true"], fieldset[aria-invalid="true"] input')?.focus();
  });
}
