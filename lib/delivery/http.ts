// One outgoing webhook request: undici keep-alive pools per origin, a total time limit, no
// redirects, a bounded response excerpt, and the SSRF guard at connect time.
import { isIP } from "node:net";
import { Agent, buildConnector, request } from "undici";
import { config } from "@/lib/config";
import { resolvePublicAddresses, systemLookup, UnsafeAddressError, type LookupFn } from "@/lib/net/resolve";
import { redactEchoes, redactHeaders, redactSecretsIn, redactUrl } from "./redaction";

/** Response bytes kept for the log; the rest is read and dropped, never buffered. */
export const RESPONSE_EXCERPT_BYTES = 4096;
/** Past this much unread response, the connection is closed instead of drained for reuse. */
const MAX_DRAIN_BYTES = 1024 * 1024;

export type SenderOptions = {
  /** Plain http and private addresses (ALLOW_LOCAL_ENDPOINTS); off by default. */
  allowLocal?: boolean;
  timeoutMs?: number;
  /** DNS resolution; tests inject one to exercise the connect-time guard. */
  lookup?: LookupFn;
};

export type SendInput = {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Aborts the request from outside (graceful shutdown); the outcome is then "aborted". */
  signal?: AbortSignal;
};

/**
 * - refused: our own policy stopped it before any byte left (bad URL, http, private address);
 *   retrying cannot help.
 * - aborted: cancelled by `signal`, not the endpoint's doing.
 */
export type FailureKind = "timeout" | "network" | "refused" | "aborted";

export type SendOutcome = {
  /** As configured, with credentials redacted (the request itself goes to the real URL). */
  url: string;
  /** As sent, with credentials redacted. */
  requestHeaders: Record<string, string>;
  status: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  durationMs: number;
  error: string | null;
  failure: FailureKind | null;
};

export type Sender = {
  /** The total time limit of one request. */
  timeoutMs: number;
  send(input: SendInput): Promise<SendOutcome>;
  close(): Promise<void>;
};

class PolicyError extends Error {}

/** The policy half that needs no DNS: scheme and URL shape. */
function checkUrl(raw: string, allowLocal: boolean) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PolicyError("The endpoint URL is not a valid URL.");
  }
  if (url.protocol !== "https:" && !(allowLocal && url.protocol === "http:")) {
    throw new PolicyError("The endpoint URL must use https.");
  }
  if (url.username || url.password) throw new PolicyError("The endpoint URL must not contain credentials.");
  return url;
}

function causeChain(error: unknown) {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}

function describeNetworkError(error: unknown) {
  for (const item of causeChain(error)) {
    const { code, message } = item as { code?: unknown; message?: unknown };
    if (typeof code === "string" && code !== "UND_ERR_ABORTED") {
      return `${code}${typeof message === "string" && message ? `: ${message}` : ""}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): unknown }) {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let dropped = 0;
  for await (const chunk of body) {
    const room = RESPONSE_EXCERPT_BYTES - keptBytes;
    if (room > 0) {
      const part = chunk.subarray(0, room);
      kept.push(part);
      keptBytes += part.length;
    }
    dropped += Math.max(0, chunk.length - Math.max(room, 0));
    // Leaving the loop destroys the stream: a huge body costs a connection, not memory.
    if (dropped > MAX_DRAIN_BYTES) break;
  }
  return new TextDecoder().decode(Buffer.concat(kept));
}

export function createSender(options: SenderOptions = {}): Sender {
  const allowLocal = options.allowLocal ?? config().ALLOW_LOCAL_ENDPOINTS;
  const timeoutMs = options.timeoutMs ?? config().DELIVERY_TIMEOUT_MS;
  const lookup = options.lookup ?? systemLookup;
  const baseConnect = buildConnector({ timeout: timeoutMs });

  // Every new connection resolves the name itself, vets every address, and dials the vetted IP
  // (the name is kept for TLS SNI and certificate checks), so DNS rebinding has no window.
  const connect: buildConnector.connector = (opts, callback) => {
    if (allowLocal) return baseConnect(opts, callback);
    const hostname = opts.hostname.replace(/^\[|\]$/g, "");
    resolvePublicAddresses(hostname, lookup).then(
      ([first]) =>
        baseConnect(
          { ...opts, hostname: first.address, servername: opts.servername || (isIP(hostname) ? undefined : hostname) },
          callback,
        ),
      (error: Error) => callback(error, null),
    );
  };

  const agent = new Agent({
    connect,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  async function send(input: SendInput): Promise<SendOutcome> {
    const recordedUrl = redactUrl(input.url);
    const requestHeaders = redactHeaders(input.headers);
    const started = performance.now();
    const outcome = (partial: Partial<SendOutcome>): SendOutcome => ({
      url: recordedUrl,
      requestHeaders,
      status: null,
      responseHeaders: null,
      responseBody: null,
      durationMs: Math.round(performance.now() - started),
      error: null,
      failure: null,
      ...partial,
    });

    let url: URL;
    try {
      url = checkUrl(input.url, allowLocal);
    } catch (error) {
      return outcome({ error: (error as Error).message, failure: "refused" });
    }

    // One deadline for connect, headers and body together. The caller's signal is linked by a
    // listener removed afterwards: AbortSignal.any keeps every request's signal registered on the
    // worker's long-lived one and cost more CPU in profiles than the two HMACs together.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const cancel = () => deadline.abort();
    if (input.signal?.aborted) deadline.abort();
    input.signal?.addEventListener("abort", cancel, { once: true });
    const signal = deadline.signal;
    try {
      const response = await request(url, {
        method: "POST",
        headers: input.headers,
        body: input.body,
        dispatcher: agent,
        signal,
      });
      const responseHeaders = redactHeaders(flattenHeaders(response.headers));
      const excerpt = await readExcerpt(response.body);
      const responseBody = redactSecretsIn(redactEchoes(excerpt, input, { url: recordedUrl, headers: requestHeaders }));
      return outcome({ status: response.statusCode, responseHeaders, responseBody });
    } catch (error) {
      if (input.signal?.aborted) return outcome({ error: "Cancelled: the worker is shutting down.", failure: "aborted" });
      if (deadline.signal.aborted) return outcome({ error: `Timed out after ${timeoutMs} ms.`, failure: "timeout" });
      const unsafe = causeChain(error).find((item) => item instanceof UnsafeAddressError);
      if (unsafe) return outcome({ error: (unsafe as Error).message, failure: "refused" });
      return outcome({ error: describeNetworkError(error), failure: "network" });
    } finally {
      clearTimeout(timer);
      input.signal?.removeEventListener("abort", cancel);
    }
  }

  return { timeoutMs, send, close: () => agent.close() };
}

let shared: Sender | undefined;

/** The process-wide sender, configured from the environment. */
export function defaultSender() {
  shared ??= createSender();
  return shared;
}
