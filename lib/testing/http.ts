// Calls Next route handlers directly with standard Requests, the way Next would. Pass the
// response's contract (a zod schema from the feature's schemas.ts, or errorEnvelopeSchema) and the
// body comes back parsed by it: typed without casts, and checked at runtime against the contract.
import type { z } from "zod";
import { errorEnvelopeSchema } from "@/lib/errors";
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
  /** The client as the run command's server stamps it (socket address, trusted proxy's word); 127.0.0.1 by default. */
  client?: Partial<ClientInfo>;
};

/** The session token a Set-Cookie header hands out, if any. */
export function sessionFromCookie(setCookie: string | null) {
  return setCookie?.match(/wc_session=([^;]+)/)?.[1];
}

export type CallResult<T> = { status: number; headers: Headers; text: string; json: T };

/** The response, its JSON body parsed by `schema` (a mismatch fails the test, naming the status and body). */
export async function call<S extends z.ZodType, P = Record<string, never>>(
  handler: Handler<P>,
  options: CallOptions<P>,
  schema: S,
): Promise<CallResult<z.output<S>>>;
/** The response; its body unchecked (`json` is unknown: pass a schema to read it). */
export async function call<P = Record<string, never>>(handler: Handler<P>, options?: CallOptions<P>): Promise<CallResult<unknown>>;
export async function call<P>(handler: Handler<P>, options: CallOptions<P> = {}, schema?: z.ZodType): Promise<CallResult<unknown>> {
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
  // As the run command's server stamps every request; a browser on the server's machine by default.
  const base: ClientInfo = { address: "127.0.0.1", proto: origin.startsWith("https:") ? "https" : "http", host: new URL(origin).host };
  for (const [name, value] of Object.entries(stampHeaders({ ...base, ...options.client }))) headers.set(name, value);
  const req = new Request(`${origin}${options.path ?? "/api"}`, { method, headers, body });
  const res = await handler(req, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const result = { status: res.status, headers: res.headers, text, json };
  return schema ? { ...result, json: bodyOf(result, schema) } : result;
}

/** An answer's body read by its contract after the fact (e.g. once its status said which one). */
export function bodyOf<S extends z.ZodType>(res: CallResult<unknown>, schema: S): z.output<S> {
  const parsed = schema.safeParse(res.json);
  if (parsed.success) return parsed.data;
  throw new Error(`An answer ${res.status} with a body outside its contract: ${res.text.slice(0, 500)}\n${parsed.error.message}`);
}

/** The error code of an answer, undefined when its body is not the envelope (for comparisons whose diff should show that). */
export const codeOf = (res: CallResult<unknown>) => errorEnvelopeSchema.safeParse(res.json).data?.code;

/** The error envelope of an answer (fails the test when the body is not one). */
export function errorOf(res: CallResult<unknown>) {
  return bodyOf(res, errorEnvelopeSchema);
}
