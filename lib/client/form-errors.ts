// The server's verdict on a submitted react-hook-form form: each field error is set on the field
// its path names (the API's paths are the shared schema's, which are the form's), so no mapping
// table stands between them. Paths the form has no value at, and errors without fields, become
// `root.server`, the form-level message.
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { ApiError } from "./api";

/** True when `values` holds something at the dotted `path` ("config.headers.2.key"). */
function hasPath(values: unknown, path: string): boolean {
  let current: unknown = values;
  for (const segment of path.split(".")) {
    if (typeof current !== "object" || current === null || !(segment in current)) return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return path !== "";
}

/** Sets the server's field errors on the form (focusing the first); returns the form-level message, if any. */
export function setServerErrors<T extends FieldValues>(form: UseFormReturn<T>, error: unknown, fallback: string): string | undefined {
  const values = form.getValues();
  const fields = error instanceof ApiError ? error.fields : [];
  const onForm = fields.filter((field) => hasPath(values, field.path));
  onForm.forEach((field, index) =>
    form.setError(field.path as Path<T>, { type: "server", message: field.message }, { shouldFocus: index === 0 }),
  );
  if (onForm.length > 0 && onForm.length === fields.length) return undefined;
  const message = fields.find((field) => !onForm.includes(field))?.message ?? (error instanceof ApiError ? error.message : fallback);
  form.setError("root.server", { type: "server", message });
  return message;
}
