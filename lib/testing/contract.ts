// Real answers checked against the OpenAPI document (lib/openapi/document.ts): the status must be
// one the operation documents, and the body must match that status's schema (no body where none
// is documented). A JSON Schema validator reads the document itself, so a document that drifts
// from what the routes answer fails the sweeps that call them.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { openApiDocument } from "@/lib/openapi/document";
import type { CallResult } from "./http";

type Responses = Record<string, { content?: Record<string, { schema: object }> }>;
type Paths = Record<string, Record<string, { responses: Responses } | undefined> | undefined>;

const document = openApiDocument();
// strict off: OpenAPI's keywords (and zod's) sit next to JSON Schema's; refs resolve into components.
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map<string, ValidateFunction>();

function validatorFor(key: string, schema: object) {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ ...schema, components: document.components });
    validators.set(key, validate);
  }
  return validate;
}

/** The document's path for a route file's URL path (/api/hooks/[id] → /api/hooks/{id}). */
export const documentPath = (urlPath: string) => urlPath.replace(/\[(\w+)\]/g, "{$1}");

/** What is wrong with an answer by the document; empty when it matches. */
export function contractProblems(method: string, urlPath: string, res: Pick<CallResult<unknown>, "status" | "text" | "json">): string[] {
  const path = documentPath(urlPath);
  const label = `${method.toUpperCase()} ${path} ${res.status}`;
  const operation = (document.paths as Paths)[path]?.[method.toLowerCase()];
  if (!operation) return [`${label}: the operation is not in the document`];
  const response = operation.responses[String(res.status)];
  if (!response) return [`${label}: status not documented (documented: ${Object.keys(operation.responses).join(", ")})`];
  const schema = response.content?.["application/json"]?.schema;
  if (!schema) return res.text === "" ? [] : [`${label}: documented without a body, answered ${res.text.slice(0, 200)}`];
  if (res.json === undefined) return [`${label}: documented as JSON, answered ${JSON.stringify(res.text.slice(0, 200))}`];
  const validate = validatorFor(label, schema);
  if (validate(res.json)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${label}: ${error.instancePath || "(body)"} ${error.message ?? "invalid"} ${JSON.stringify(error.params)}; body ${res.text.slice(0, 300)}`,
  );
}

/** Every (method, path, status) the document lists outside the error envelope: what a sweep must see answered. */
export function documentedAnswers(): string[] {
  return Object.entries(document.paths as Paths).flatMap(([path, methods]) =>
    Object.entries(methods ?? {}).flatMap(([method, operation]) =>
      Object.entries(operation?.responses ?? {})
        .filter(
          ([status, response]) =>
            status !== "405" &&
            !JSON.stringify(response).includes("#/components/schemas/Error") &&
            !JSON.stringify(response).includes("#/components/schemas/LogtoError"),
        )
        .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
    ),
  );
}
