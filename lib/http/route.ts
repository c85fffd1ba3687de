// The one wrapper for route handlers: authentication, the same-origin rule for cookie sessions,
// and mapping every error to the single envelope. Handlers only parse, call a service, answer.
// `plainRoute` is the same for hot paths, answering plain data so that the lean Node path
// (lib/http/node-adapter.ts) serves it without building Web Request/Response objects.
import { authenticate, assertSameOrigin, bearerToken, type Principal } from "@/lib/auth/principal";
import { appContext, type ServiceContext } from "@/lib/context";
import { safeEqual } from "@/lib/auth/crypto";
import { clientOf } from "./client";
import { forbidden, invalidInput, notFound, ServiceError, unauthorized } from "@/lib/errors";
import { errorAnswer, type ErrorDialect } from "./errors";
import { isUnstorableText, unstorableJson, unstorableQuery } from "./storable";

/**
 * Who may call: `admin` a signed-in admin or an admin-scope API key; `ingest` also an ingest-scope
 * key (event ingestion); `session` a signed-in admin only (creating and revoking API keys, so a
 * leaked key cannot mint or revoke keys); `public` anyone; `cron` CRON_SECRET.
 */
export type Access = "admin" | "ingest" | "session" | "public" | "cron";
type Authenticated = "admin" | "ingest" | "session";

type RouteContext<P> = { params: Promise<P> };

/** What the wrappers and plain handlers read of a request; a Web Request is one. */
export type PlainRequest = {
  method: string;
  url: string;
  headers: Pick<Headers, "get">;
  /** The body as UTF-8 text; given `maxBytes`, a lean request stops reading past it with a 413. */
  text(maxBytes?: number): Promise<string>;
  /** A Web request's body stream (absent on the lean path), read by readJson with its cap. */
  body?: ReadableStream<Uint8Array> | null;
};

/** An answer as data: `body` goes out as JSON (none when undefined). */
export type PlainResponse = { status: number; headers?: Record<string, string>; body?: unknown };

export type HandlerInput<P, A extends Access, R extends PlainRequest = Request> = {
  req: R;
  params: P;
  url: URL;
  principal: A extends Authenticated ? Principal : null;
  /** The entry point's service context (lib/context.ts), for the services the handler calls. */
  ctx: ServiceContext;
};

export function json(data: unknown, init: { status?: number; headers?: HeadersInit } = {}) {
  return Response.json(data, { status: init.status ?? 200, headers: init.headers });
}

export const noContent = () => new Response(null, { status: 204 });

const toResponse = ({ status, headers, body }: PlainResponse) =>
  body === undefined ? new Response(null, { status, headers }) : json(body, { status, headers });

export const errorResponse = (error: unknown, dialect?: ErrorDialect) => toResponse(errorAnswer(error, dialect));

async function authorize(ctx: ServiceContext, access: Access, req: PlainRequest): Promise<Principal | null> {
  if (access === "public") {
    // Sign-in and setup set the session cookie: a cross-site page must not sign a browser in.
    assertSameOrigin(req, { requireOrigin: false });
    return null;
  }
  if (access === "cron") {
    const secret = ctx.config.CRON_SECRET;
    const token = bearerToken(req.headers.get("authorization"));
    if (!secret || !token || !safeEqual(token, secret)) throw unauthorized("A valid CRON_SECRET bearer token is required.");
    return null;
  }
  const principal = await authenticate(ctx, req.headers);
  if (!principal) throw unauthorized();
  if (principal.kind === "session") assertSameOrigin(req);
  else if (access === "session") throw forbidden("API keys cannot create or revoke API keys. Sign in to the console to manage them.");
  else if (access === "admin" && principal.scope !== "admin") {
    throw forbidden("This API key has the ingest scope: it may only send events (POST /api/events and /api/events/batch).");
  }
  return principal;
}

/** What every route checks before its handler runs: the caller, and ids and queries no row can hold. */
async function admit<P, A extends Access, R extends PlainRequest>(access: A, req: R, params: P): Promise<HandlerInput<P, A, R>> {
  const ctx: ServiceContext = appContext();
  const principal = await authorize(ctx, access, req);
  // No stored id holds such characters, and PostgreSQL would fail on them instead of missing.
  if (Object.values(params as Record<string, unknown>).some((value) => typeof value === "string" && isUnstorableText(value))) {
    throw notFound("resource");
  }
  const url = new URL(req.url);
  const badQuery = unstorableQuery(url.searchParams);
  if (badQuery) throw invalidInput([badQuery]);
  return { req, params, url, principal, ctx } as HandlerInput<P, A, R>;
}

export type RouteOptions = {
  /** "logto" on Logto's own routes (/api/hooks…): errors in Logto's codes and body. */
  errors?: "ours" | "logto";
};

export const LOGTO_ERRORS: RouteOptions = { errors: "logto" };

export function apiRoute<P = Record<string, never>, A extends Access = "admin">(
  access: A,
  handler: (input: HandlerInput<P, A>) => Promise<Response>,
  options: RouteOptions = {},
) {
  return async (req: Request, context?: RouteContext<P>) => {
    try {
      return await handler(await admit(access, req, ((await context?.params) ?? {}) as P));
    } catch (error) {
      return errorResponse(error, options.errors === "logto" ? { kind: "logto", method: req.method } : undefined);
    }
  };
}

export type PlainHandler = (req: PlainRequest) => Promise<PlainResponse>;

/**
 * A route without path parameters whose handler answers data: a Next route handler, and through
 * `.plain` a handler for the lean Node path, which then skips the Web Request/Response objects
 * (on event ingestion they cost more than the rest of the request together).
 */
export function plainRoute<A extends Access = "admin">(
  access: A,
  handler: (input: HandlerInput<Record<string, never>, A, PlainRequest>) => Promise<PlainResponse>,
) {
  const plain: PlainHandler = async (req) => {
    try {
      return await handler(await admit(access, req, {}));
    } catch (error) {
      return errorAnswer(error);
    }
  };
  return Object.assign(async (req: Request) => toResponse(await plain(req)), { plain });
}

/** Reads a JSON body: 413 past `maxBytes`, 400 when it is not JSON or holds what cannot be stored. */
export async function readJson(req: PlainRequest, maxBytes = 1024 * 1024): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw payloadTooLarge(maxBytes);
  // Read under the cap: a chunked body declares no length.
  const text = req.body ? await streamText(req.body, maxBytes) : await req.text(maxBytes);
  if (text.trim() === "") throw new ServiceError("invalid_json", "The request body must be JSON.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceError("invalid_json", "The request body is not valid JSON.");
  }
  const problem = unstorableJson(parsed);
  if (problem) throw invalidInput([problem]);
  return parsed;
}

export const payloadTooLarge = (maxBytes: number) =>
  new ServiceError("payload_too_large", `The request body exceeds ${Math.round(maxBytes / 1024)} KB.`);

// As Request.text(): UTF-8, a leading BOM dropped, malformed bytes replaced (stateless per call).
export const utf8 = new TextDecoder();

async function streamText(body: ReadableStream<Uint8Array>, maxBytes: number) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(chunk.value);
  }
  return utf8.decode(Buffer.concat(chunks));
}

/** Client address for throttling: the socket's, or a trusted proxy's word (lib/http/client.ts). */
export const clientAddress = (req: PlainRequest) => clientOf(req).address;
