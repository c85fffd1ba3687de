// What of a delivery may be recorded: the one place that decides whether a header value or a URL
// part could be a credential. Used when the outcome is recorded (lib/delivery/http.ts) and again
// when the log is read (lib/deliveries/service.ts), so rows written under older rules are covered too.
// Everything here errs toward redaction: a hidden request id costs a little readability, a shown
// token is a leak. Redacting is idempotent ("[redacted]" itself matches no rule).
//
// What it protects: credentials, values that let whoever reads them act as someone (passwords,
// tokens, API keys, cookies, a signing key, a static or presigned-URL signature that a request
// carries every time). What it lets through: the signatures this service computes per delivery
// (`logto-signature-sha-256`, `webhook-signature`), an HMAC of that one public body: they verify
// it and nothing else, and without the key they cannot sign another body.
import { UUID_PATTERN } from "@/lib/deliveries/schemas";

export const REDACTED = "[redacted]";

// ---- names ------------------------------------------------------------------------------------

const ALWAYS_SECRET = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);

/** The per-delivery signatures this service computes (names reserved: no custom header can take them). */
export const DELIVERY_SIGNATURE_HEADERS: ReadonlySet<string> = new Set(["logto-signature-sha-256", "webhook-signature"]);
const SECRET_LOOKING = /auth|token|secret|passw|key|signature|cookie|session|credential|private/i;
/** Too short to search for inside a name ("passage", "design"), so matched as a whole word part. */
const SECRET_WORDS = new Set(["sig", "pass", "pwd", "jwt", "hmac", "otp", "sas"]);

/**
 * Verdicts are pure functions of their input and the same few names and header values recur on
 * every attempt of every delivery, so they are remembered (bounded; emptied when full).
 */
function memo<T>(limit: number, compute: (key: string) => T) {
  const seen = new Map<string, T>();
  return (key: string) => {
    let verdict = seen.get(key);
    if (verdict === undefined) {
      verdict = compute(key);
      if (seen.size >= limit) seen.clear();
      seen.set(key, verdict);
    }
    return verdict;
  };
}

const secretNameVerdict = memo(2048, (name) => {
  const lower = name.trim().toLowerCase();
  return ALWAYS_SECRET.has(lower) || SECRET_LOOKING.test(lower) || lower.split(/[^a-z0-9]+/).some((part) => SECRET_WORDS.has(part));
});

/** A header or query parameter name that says its value is a credential. */
export function isSecretName(name: string) {
  return secretNameVerdict(name);
}

/**
 * Standard headers whose values are never credentials, kept as they are: our own (a webhook-id is
 * a UUID, the timestamp a number), the framing, and what the retry logic reads back (retry-after).
 * Values that would otherwise trip the token rule (an etag, a multipart boundary) stay readable.
 */
const PLAIN_HEADERS = new Set([
  "webhook-id",
  "webhook-timestamp",
  "user-agent",
  "content-type",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "etag",
  "last-modified",
  "expires",
  "age",
  "vary",
  "cache-control",
  "retry-after",
  "server",
]);

// ---- values -----------------------------------------------------------------------------------

/** An Authorization-style value: an auth scheme, whitespace, then the credential. */
const AUTH_SCHEME =
  /^\s*(?:bearer|basic|digest|token|apikey|api-key|oauth|negotiate|ntlm|hawk|dpop|gnap|aws4-hmac-sha256|sharedkey|sharedaccesssignature|sso-key)\s+\S/i;

/** A JWS/JWE: base64url of `{"` then more dot-separated base64url parts. */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/;

/** Token formats of well-known providers, found anywhere in the value (not inside a longer word). */
const KNOWN_TOKEN = new RegExp(
  `(?<![A-Za-z0-9])(?:${[
    "(?:sk|rk)_[A-Za-z0-9_]{8,}", // Stripe secret and restricted keys (sk_live_, sk_test_, ...)
    "pk_live_[A-Za-z0-9]{8,}", // Stripe live publishable key: not secret, but ties the log to an account
    "sk-[A-Za-z0-9_-]{16,}", // OpenAI, Anthropic (sk-proj-, sk-ant-)
    "gh[pousr]_[A-Za-z0-9]{16,}", // GitHub tokens
    "github_pat_[A-Za-z0-9_]{16,}",
    "glpat-[A-Za-z0-9_-]{16,}", // GitLab
    "xox[abeoprs]-[A-Za-z0-9-]{8,}", // Slack
    "xapp-[A-Za-z0-9-]{8,}",
    "(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}", // AWS access key ids
    "AIza[A-Za-z0-9_-]{30,}", // Google API keys
    "ya29\\.[A-Za-z0-9_-]{16,}", // Google OAuth access tokens
    "whsec_[A-Za-z0-9+/=]{8,}", // webhook signing secrets (Standard Webhooks, Stripe)
    "SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}", // SendGrid
    "npm_[A-Za-z0-9]{20,}",
    "pypi-[A-Za-z0-9_-]{20,}",
    "hf_[A-Za-z0-9]{20,}", // Hugging Face
    "shp(?:at|ca|pa|ss)_[A-Fa-f0-9]{16,}", // Shopify
    "dop_v1_[a-f0-9]{16,}", // DigitalOcean
    "sq0(?:atp|csp)-[A-Za-z0-9_-]{16,}", // Square
  ].join("|")})`,
);

/** `name=value` inside a value ("region=eu; api_key=abc"): secret when the name says so. */
const PAIR = /([A-Za-z][\w.-]*)\s*=\s*[^\s;,&]/g;

/**
 * Long token-like runs. A run of 24+ characters of the token alphabet (base64, base64url, hex)
 * that mixes at least two of lower case, upper case and digits is taken for a random secret.
 * Kept: words and hyphenated words (one class), numbers and timestamps, MIME types, ISO dates and
 * HTTP dates (":", spaces and commas end a run), and canonical UUIDs, which are ids (our
 * webhook-id, most request ids), not keys; a UUID used as a key is caught by its header name or
 * scheme. Over-redacted: long opaque ids that mix classes (trace ids, hashes), by design.
 */
const TOKEN_RUN = /[A-Za-z0-9+/=_-]{24,}/g;

function looksRandom(run: string) {
  if (UUID_PATTERN.test(run)) return false;
  const classes = Number(/[a-z]/.test(run)) + Number(/[A-Z]/.test(run)) + Number(/[0-9]/.test(run));
  return classes >= 2;
}

/** A value that looks like a credential whatever its header or parameter is called. */
export function isSecretValue(value: string) {
  if (AUTH_SCHEME.test(value) || JWT.test(value) || KNOWN_TOKEN.test(value)) return true;
  for (const [, name] of value.matchAll(PAIR)) if (name !== undefined && isSecretName(name)) return true;
  return (value.match(TOKEN_RUN) ?? []).some(looksRandom);
}

// ---- URLs -------------------------------------------------------------------------------------

/** Judged as written and percent-decoded, so neither `%20` nor a raw `+` hides a token. */
function suspicious(text: string) {
  if (isSecretValue(text)) return true;
  try {
    return isSecretValue(decodeURIComponent(text));
  } catch {
    return false;
  }
}

function secretName(text: string) {
  try {
    return isSecretName(decodeURIComponent(text));
  } catch {
    return isSecretName(text);
  }
}

/** `a=1&token=x`: secret values (and bare secret-looking items) replaced, names and order kept. */
function redactParams(params: string) {
  return params
    .split("&")
    .map((pair) => {
      const at = pair.indexOf("=");
      if (at < 0) return suspicious(pair) ? REDACTED : pair;
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      return value && (secretName(name) || suspicious(value)) ? `${name}=${REDACTED}` : pair;
    })
    .join("&");
}

/**
 * The URL as recorded: credentials in the user-info, secret-looking query (and fragment)
 * parameter values and token-like path segments (Slack's and Discord's webhook URLs carry their
 * token in the path) are replaced; the scheme, host, names and everything else stay as written.
 * Text, not `new URL`, so what is shown is what was configured, even when it does not parse.
 */
export function redactUrl(url: string) {
  const hashAt = url.indexOf("#");
  const fragment = hashAt < 0 ? null : url.slice(hashAt + 1);
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const query = queryAt < 0 ? null : beforeHash.slice(queryAt + 1);
  let rest = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);

  let origin = "";
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) {
    const authorityEnd = rest.indexOf("/", scheme[0].length);
    const authority = rest.slice(scheme[0].length, authorityEnd < 0 ? undefined : authorityEnd);
    const at = authority.lastIndexOf("@");
    origin = scheme[0] + (at < 0 ? authority : `${REDACTED}@${authority.slice(at + 1)}`);
    rest = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
  }
  const path = rest
    .split("/")
    .map((segment) => (segment && suspicious(segment) ? REDACTED : segment))
    .join("/");

  let out = origin + path;
  if (query !== null) out += `?${redactParams(query)}`;
  // A fragment is never sent, but an OAuth-style "#access_token=" would still be recorded.
  if (fragment !== null) out += `#${redactParams(fragment)}`;
  return out;
}

const URL_IN_TEXT = /https?:\/\/[^\s"'<>()]+/gi;

/** Every http(s) URL inside a free text (an error message quoting a Location) redacted. */
export function redactUrlsIn(text: string) {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url));
}

// ---- free text --------------------------------------------------------------------------------

const JWT_IN_TEXT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)*/g;
const KNOWN_TOKEN_IN_TEXT = new RegExp(KNOWN_TOKEN.source, "g");

/**
 * A response body (or any free text) without the credentials recognisable on their own: JWTs,
 * the providers' token formats and secrets inside URLs. Not the long-random-string rule of
 * header values: a body is full of ids and hashes that are not secrets.
 */
export function redactSecretsIn(text: string) {
  return redactUrlsIn(text.replace(JWT_IN_TEXT, REDACTED).replace(KNOWN_TOKEN_IN_TEXT, REDACTED));
}

// ---- headers ----------------------------------------------------------------------------------

/** A value that is one URL and nothing else; text around a URL is judged as a whole instead. */
const ABSOLUTE_URL = /^\s*https?:\/\/\S*\s*$/i;
/** Headers whose value is a URL, possibly relative. */
const URL_HEADERS = new Set(["location", "content-location", "referer"]);

function judgeHeaderValue(name: string, value: string) {
  // A URL (Location, Content-Location, a custom callback header) keeps its readable parts.
  if (URL_HEADERS.has(name) || ABSOLUTE_URL.test(value)) return redactUrl(value);
  return isSecretValue(value) ? REDACTED : value;
}

/** Custom request headers repeat on every attempt: short values' verdicts are remembered. */
const MEMO_VALUE_LENGTH = 256;
const headerValueVerdict = memo(4096, (key) => {
  const at = key.indexOf("\n");
  return judgeHeaderValue(key.slice(0, at), key.slice(at + 1));
});

function redactHeaderValue(name: string, value: string) {
  if (DELIVERY_SIGNATURE_HEADERS.has(name)) return value;
  if (isSecretName(name)) return REDACTED;
  if (PLAIN_HEADERS.has(name)) return value;
  // Keyed by name, newline, value: names that hold a newline themselves (never sent, HTTP forbids
  // it, but a stored row could) are judged directly.
  return value.length <= MEMO_VALUE_LENGTH && !name.includes("\n")
    ? headerValueVerdict(`${name}\n${value}`)
    : judgeHeaderValue(name, value);
}

/**
 * Header values that could be credentials never reach the log: by name (authorization, cookies,
 * anything named like a key, token or secret), then by value (an auth scheme, a JWT, a known token
 * format, a long random string). Names are lower-cased.
 */
export function redactHeaders(headers: Record<string, string>) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // Names are judged before the plain list, whose exemptions are exact names, not "webhook-*":
    // a custom "Webhook-Secret" or "Webhook-Token" is still redacted.
    out[lower] = redactHeaderValue(lower, value);
  }
  return out;
}

// ---- echoes -----------------------------------------------------------------------------------

/** Parts of a credential long enough to be told apart from ordinary words when found elsewhere. */
const ECHO_MIN_LENGTH = 8;

/** The pieces of `original` that redaction removed (absent from `redacted`), whole value included. */
function removedPieces(original: string, redacted: string) {
  if (original === redacted) return [];
  const pieces = original
    .split(/[\s,;=&?#/@:]+/)
    .filter((piece) => piece.length >= ECHO_MIN_LENGTH && !/^[A-Za-z-]+$/.test(piece) && !redacted.includes(piece));
  return original.length >= ECHO_MIN_LENGTH ? [original, ...pieces] : pieces;
}

/**
 * `text` (a recorded response body) without the credentials that were redacted from the request
 * it answers: a receiver that echoes its request (httpbin, a debugging endpoint) would otherwise
 * put custom auth headers, signatures and URL tokens into the log verbatim. Exact values only, so
 * nothing else in the body is touched.
 */
export function redactEchoes(
  text: string,
  sent: { url: string; headers: Record<string, string> },
  recorded: { url: string; headers: Record<string, string> },
) {
  const secrets = removedPieces(sent.url, recorded.url);
  for (const [name, value] of Object.entries(sent.headers))
    secrets.push(...removedPieces(value, recorded.headers[name.toLowerCase()] ?? ""));
  // Longest first, so a whole "Bearer x" goes before its "x".
  let out = text;
  for (const secret of [...new Set(secrets)].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
