// What goes out with every delivery, and what of it may be recorded in the log.
import { RESERVED_HEADER_NAMES, type HeaderRow } from "@/lib/hooks/schemas";
import packageJson from "@/package.json";

export const USER_AGENT = `WebhookConsole/${packageJson.version}`;

// Custom headers are validated on save (lib/hooks/schemas.ts); reserved names are dropped here
// too, so a row written by other means can never replace a signature or the framing.
const RESERVED = new Set(RESERVED_HEADER_NAMES);

/**
 * Our headers, then the custom ones (which may replace the user-agent, as in Logto), then the
 * signatures, which nothing overrides. Names are lower-cased so duplicates collapse predictably.
 */
export function buildRequestHeaders(custom: HeaderRow[], signatures: Record<string, string>) {
  const headers: Record<string, string> = { "user-agent": USER_AGENT, "content-type": "application/json" };
  for (const { key, value } of custom) {
    const name = key.trim().toLowerCase();
    if (!RESERVED.has(name)) headers[name] = value;
  }
  return Object.assign(headers, signatures);
}

// What of them may be recorded is decided in one place; re-exported where callers look for it.
export { REDACTED, redactHeaders } from "./redaction";
