// What goes out with every delivery, and what of it may be recorded in the log.
import { RESERVED_HEADER_NAMES, storedHeaderRows, type HeaderRow } from "@/lib/hooks/schemas";
import packageJson from "@/package.json";

export const USER_AGENT = `WebhookConsole/${packageJson.version}`;

// Custom headers are validated on save (lib/hooks/schemas.ts); reserved names are dropped here
// too, so a row written by other means can never replace a signature or the framing.
const RESERVED = new Set(RESERVED_HEADER_NAMES);

/** Our headers, then the custom ones, lower-cased so duplicates collapse predictably. */
function baseHeaders(custom: HeaderRow[]) {
  const headers: Record<string, string> = { "user-agent": USER_AGENT, "content-type": "application/json" };
  for (const { key, value } of custom) {
    const name = key.trim().toLowerCase();
    if (!RESERVED.has(name)) headers[name] = value;
  }
  return headers;
}

/**
 * Our headers, then the custom ones (which may replace the user-agent, as in Logto), then the
 * signatures, which nothing overrides.
 */
export function buildRequestHeaders(custom: HeaderRow[] | Readonly<Record<string, string>>, signatures: Record<string, string>) {
  return Object.assign(Array.isArray(custom) ? baseHeaders(custom) : { ...custom }, signatures);
}

const fromStored = new Map<string, Readonly<Record<string, string>>>();
const FROM_STORED_CACHE_SIZE = 1_024;

/**
 * A hook's stored `headers` column (its JSON text) as our headers plus the custom ones, parsed and
 * checked once per distinct value rather than once per delivery (the worker's hot path).
 */
export function storedRequestHeaders(text: string): Readonly<Record<string, string>> {
  let headers = fromStored.get(text);
  if (!headers) {
    headers = Object.freeze(baseHeaders(storedHeaderRows(JSON.parse(text))));
    if (fromStored.size >= FROM_STORED_CACHE_SIZE) fromStored.clear();
    fromStored.set(text, headers);
  }
  return headers;
}

// What of them may be recorded is decided in one place; re-exported where callers look for it.
export { REDACTED, redactHeaders } from "./redaction";
