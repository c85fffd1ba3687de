// One outgoing webhook request: undici keep-alive pools per origin, a total time limit, no
// redirects, a bounded response excerpt, and the SSRF guard at connect time.
import { isIP } from "node:net";
import { Agent, buildConnector, type Dispatcher } from "undici";
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
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

const decoder = new TextDecoder();
/** Why a request was cut short by us; compared by identity in the outcome. */
const TIMED_OUT = new Error("timed out");
const CANCELLED = new Error("cancelled");
/** The excerpt is complete and the rest is too large to drain: the connection is closed instead. */
const TOO_LARGE = new Error("response too large to drain");

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; excerpt: string };

/**
 * One request on undici's dispatcher API: the response excerpt is collected straight from the
 * socket's chunks. `request()` wraps every response in a Readable stream, an abort signal and a
 * promise per stage, which cost more CPU than both signatures together (drain profiles).
 * The first of response end, error, deadline or cancellation settles it, exactly once.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private reason: Error | null = null;
  private settled = false;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private dropped = 0;
  timer: NodeJS.Timeout | undefined;
  private watchers: Set<Exchange> | null = null;

  constructor(
    private readonly resolve: (raw: Raw) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** Registers with the caller's signal until settled. */
  watch(set: Set<Exchange>) {
    this.watchers = set;
    set.add(this);
  }

  /** Cuts the request short: at once, even while it still waits for a connection. */
  abort(reason: Error) {
    if (this.settled) return;
    this.reason = reason;
    this.controller?.abort(reason);
    this.finish(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>) {
    if (statusCode < 200) return; // informational; the final response follows
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer) {
    const room = RESPONSE_EXCERPT_BYTES - this.keptBytes;
    if (room > 0) {
      const part = room >= chunk.length ? chunk : chunk.subarray(0, room);
      this.kept.push(part);
      this.keptBytes += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
    // A huge body costs a connection, not memory.
    if (this.dropped > MAX_DRAIN_BYTES) {
      this.reason = TOO_LARGE;
      controller.abort(TOO_LARGE);
      this.finish(null);
    }
  }

  onResponseEnd() {
    this.finish(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error) {
    this.finish(error); // after TOO_LARGE: already settled with the excerpt
  }

  private finish(error: Error | null) {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.watchers?.delete(this);
    if (error) return this.reject(error);
    const { kept } = this;
    const excerpt = kept.length === 0 ? "" : decoder.decode(kept.length === 1 ? kept[0] : Buffer.concat(kept));
    this.resolve({ status: this.status, headers: this.headers, excerpt });
  }
}

function onDeadline(exchange: Exchange) {
  exchange.abort(TIMED_OUT);
}

/**
 * Exchanges to cancel when the caller's signal aborts (the worker's shutdown): one listener per
 * signal, not one per request, since every request of a worker shares its long-lived signal.
 */
const cancellable = new WeakMap<AbortSignal, Set<Exchange>>();
function exchangesOf(signal: AbortSignal) {
  let set = cancellable.get(signal);
  if (!set) {
    const created = new Set<Exchange>();
    signal.addEventListener("abort", () => created.forEach((exchange) => exchange.abort(CANCELLED)), { once: true });
    cancellable.set(signal, created);
    set = created;
  }
  return set;
}

/** Parsed and redacted once per configured URL, not on every attempt. */
type CheckedUrl = { refused: string | null; recorded: string; origin: string; path: string };
const MAX_CACHED_URLS = 1024;

/** DELIVERY_TIMEOUT_MS's default (lib/config.ts). */
const DEFAULT_TIMEOUT_MS = 10_000;

export function createSender(options: SenderOptions = {}): Sender {
  const allowLocal = options.allowLocal ?? false;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lookup = options.lookup ?? systemLookup;
  const baseConnect = buildConnector({ timeout: timeoutMs });

  // Every new connection resolves the name itself, vets every address, and dials the vetted IP
  // (the name is kept for TLS SNI and certificate checks), so DNS rebinding has no window.
  const connect: buildConnector.connector = (opts, callback) => {
    if (allowLocal) return baseConnect(opts, callback);
    const hostname = opts.hostname.replace(/^\[|\]$/g, "");
    resolvePublicAddresses(hostname, lookup).then(
      ([first]) =>
        baseConnect({ ...opts, hostname: first.address, servername: opts.servername || (isIP(hostname) ? undefined : hostname) }, callback),
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

  const checkedUrls = new Map<string, CheckedUrl>();
  function checked(raw: string): CheckedUrl {
    let entry = checkedUrls.get(raw);
    if (entry) return entry;
    const recorded = redactUrl(raw);
    try {
      const url = checkUrl(raw, allowLocal);
      entry = { refused: null, recorded, origin: url.origin, path: `${url.pathname}${url.search}` };
    } catch (error) {
      entry = { refused: (error as Error).message, recorded, origin: "", path: "" };
    }
    if (checkedUrls.size >= MAX_CACHED_URLS) checkedUrls.clear();
    checkedUrls.set(raw, entry);
    return entry;
  }

  function exchange(target: CheckedUrl, input: SendInput) {
    return new Promise<Raw>((resolve, reject) => {
      const handler = new Exchange(resolve, reject);
      // One deadline for connect, headers and body together.
      handler.timer = setTimeout(onDeadline, timeoutMs, handler);
      if (input.signal) {
        if (input.signal.aborted) return handler.abort(CANCELLED);
        handler.watch(exchangesOf(input.signal));
      }
      agent.dispatch({ origin: target.origin, path: target.path, method: "POST", headers: input.headers, body: input.body }, handler);
    });
  }

  async function send(input: SendInput): Promise<SendOutcome> {
    const target = checked(input.url);
    const requestHeaders = redactHeaders(input.headers);
    const started = performance.now();
    const outcome = (partial: Partial<SendOutcome>): SendOutcome => ({
      url: target.recorded,
      requestHeaders,
      status: null,
      responseHeaders: null,
      responseBody: null,
      durationMs: Math.round(performance.now() - started),
      error: null,
      failure: null,
      ...partial,
    });
    if (target.refused !== null) return outcome({ error: target.refused, failure: "refused" });

    try {
      const response = await exchange(target, input);
      const responseHeaders = redactHeaders(flattenHeaders(response.headers));
      const responseBody = response.excerpt
        ? redactSecretsIn(redactEchoes(response.excerpt, input, { url: target.recorded, headers: requestHeaders }))
        : "";
      return outcome({ status: response.status, responseHeaders, responseBody });
    } catch (error) {
      if (error === CANCELLED) return outcome({ error: "Cancelled: the worker is shutting down.", failure: "aborted" });
      if (error === TIMED_OUT) return outcome({ error: `Timed out after ${timeoutMs} ms.`, failure: "timeout" });
      const unsafe = causeChain(error).find((item) => item instanceof UnsafeAddressError);
      if (unsafe) return outcome({ error: (unsafe as Error).message, failure: "refused" });
      return outcome({ error: describeNetworkError(error), failure: "network" });
    }
  }

  return { timeoutMs, send, close: () => agent.close() };
}
