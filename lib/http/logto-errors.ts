// Logto's error body on Logto's routes (/api/hooks…): `{code, message, data?, details?}` with
// Logto's codes and English messages, so a client written against Logto reads the same answer.
// Our field-level detail stays as the extra `fields` (a name Logto's body does not use).
// The status is the one from the table (lib/http/errors.ts); Logto's are the same.
import { z } from "zod";
import { fieldErrorSchema, type FieldError, type ServiceError } from "@/lib/errors";

/** Logto's body; loose, as the test endpoint's error also carries responseStatus/responseBody at the top level. */
export const logtoErrorBodySchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  data: z.unknown().optional(),
  details: z.string().optional(),
  fields: z.array(fieldErrorSchema).optional(),
});
export type LogtoErrorBody = z.infer<typeof logtoErrorBodySchema>;

// Logto's "Error in key path "a.b": (code) message" lines, one per field.
const details = (fields: FieldError[]) => fields.map((f) => `Error in key path "${f.path}": (custom) ${f.message}`).join("\n");

/**
 * What Logto answers when the hook is missing depends on the operation (its queries throw
 * differently): a read or a test names the id, an update names the entity, a delete the resource.
 */
function notFound(method: string, id: string | undefined) {
  if (method === "PATCH") return { code: "entity.not_exists", message: "The hook does not exist." };
  if (method === "DELETE") return { code: "entity.not_found", message: "The resource does not exist." };
  return { code: "entity.not_exists_with_id", message: `The hooks with ID \`${id ?? ""}\` does not exist.` };
}

/** Our error in Logto's words, or null when Logto has no code for it (our envelope is kept). */
export function logtoErrorBody(error: ServiceError, method: string): LogtoErrorBody | null {
  const fields = error.fields ? { fields: error.fields } : {};
  switch (error.code) {
    case "validation_failed":
    case "invalid_json": {
      const issues = (error.fields ?? []).map((f) => ({ code: "custom", path: f.path ? f.path.split(".") : [], message: f.message }));
      return {
        code: "guard.invalid_input",
        message: `The request ${error.input ?? "body"} is invalid.`,
        data: { issues, name: "ZodError" },
        ...(error.fields ? { details: details(error.fields) } : {}),
        ...fields,
      };
    }
    case "hook.missing_events":
      return { code: "hook.missing_events", message: "You need to provide at least one event.", ...fields };
    case "not_found":
      return notFound(method, error.resource?.id);
    case "unauthorized":
      return { code: "auth.unauthorized", message: "Unauthorized. Please check credentials and its scope." };
    case "forbidden":
      return { code: "auth.forbidden", message: "Forbidden. Please check your user roles and permissions." };
    case "hook.endpoint_responded_with_error":
      // Logto's `data`; the same two values stay at the top level too, as our clients read them.
      return { code: error.code, message: "Endpoint responded with error.", data: error.data, ...error.data };
    case "hook.send_test_payload_failed":
      return { code: error.code, message: `Failed to send test payload: ${error.message}` };
    default:
      return null;
  }
}
