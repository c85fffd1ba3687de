// What PostgreSQL and our validators cannot take, caught once at the HTTP boundary so every
// route answers 400 instead of failing in the database: U+0000 and unpaired UTF-16 surrogates
// (text and jsonb reject both; a JSON body can carry them as \u0000 or \ud800 escapes, a query
// string as %00), and nesting deep enough to overflow the recursive validators' stack.
import type { FieldError } from "@/lib/errors";

/** Far beyond any real payload, far below what overflows zod's recursion. */
export const MAX_JSON_DEPTH = 64;

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_MESSAGE = "Contains a character that cannot be stored (U+0000 or an unpaired surrogate).";

/** True when a string holds U+0000 or an unpaired surrogate. */
export const isUnstorableText = (text: string) => UNSTORABLE.test(text);

/** The first problem in a parsed JSON value (keys included), with its path; null when there is none. */
export function unstorableJson(value: unknown): FieldError | null {
  // Iterative on purpose: the point is to stop input that would exhaust the stack.
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === "string") {
      if (isUnstorableText(current)) return { path: path.join("."), message: UNSTORABLE_MESSAGE };
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (path.length >= MAX_JSON_DEPTH) return { path: path.join("."), message: `Nested more than ${MAX_JSON_DEPTH} levels deep.` };
    for (const [key, child] of Object.entries(current)) {
      if (isUnstorableText(key)) return { path: path.join("."), message: `A property name: ${UNSTORABLE_MESSAGE}` };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

/** The first query parameter (name or value) holding such a character, e.g. `?ids=%00`. */
export function unstorableQuery(params: URLSearchParams): FieldError | null {
  for (const [name, value] of params) {
    if (isUnstorableText(name) || isUnstorableText(value)) return { path: isUnstorableText(name) ? "" : name, message: UNSTORABLE_MESSAGE };
  }
  return null;
}
