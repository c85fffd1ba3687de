// Calls Next route handlers directly with standard Requests, the way Next would.
import { stampHeaders, type ClientInfo } from "@/lib/http/client";

export const TEST_ORIGIN = "http://console.test";

type Handler<P> = (req: Request, context: { params: Promise<P> }) => Promise<Response>;

export type CallOptions<P> = {
  method?: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: P;
  /** Session cookie token; mutations then carry a same-origin Origin header like a browser. */
  session?: string;
  apiKey?: string;
  /** Scheme and host the request is addressed to (e.g. https://console.test); TEST_ORIGIN by default. */
  origin?: string;
  /** The client as the run command's server would stamp it (socket address, trusted proxy's word). */
  client?: Partial<ClientInfo>;
};

/** The session token a Set-Cookie header hands out, if any. */
export function sessionFromCookie(setCookie: string | null) {
  return setCookie?.match(/wc_session=([^;]+)/)?.[1];
}

export async function call<P = Record<string, never>>(handler: Handler<P>, options: CallOptions<P> = {}) {
  const origin = options.origin ?? TEST_ORIGIN;
  const method = options.method ?? (options.body === undefined && options.rawBody === undefined ? "GET" : "POST");
  const headers = new Headers(options.headers);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  if (options.session) {
    headers.set("cookie", `wc_session=${options.session}`);
    if (method !== "GET" && !headers.has("origin")) headers.set("origin", origin);
  }
  if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
  headers.set("host", new URL(origin).host);
  if (options.client) {
    const base: ClientInfo = { address: "192.0.2.1", proto: origin.startsWith("https:") ? "https" : "http", host: new URL(origin).host };
    for (const [name, value] of Object.entries(stampHeaders({ ...base, ...options.client }))) headers.set(name, value);
  }
  const req = new Request(`${origin}${options.path ?? "/api"}`, { method, headers, body });
  const res = await handler(req, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> & unknown[] };
}
