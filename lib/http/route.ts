// The one wrapper for route handlers: authentication, the same-origin rule for cookie sessions,
// and mapping every error to the single envelope. Handlers only parse, call a service, answer.
import { authenticate, assertSameOrigin, bearerToken, type Principal } from "@/lib/auth/principal";
import { config } from "@/lib/config";
import { safeEqual } from "@/lib/auth/crypto";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError, errorBody, notFound, unauthorized, type FieldError } from "./errors";
import { isUnstorableText, unstorableJson, unstorableQuery } from "./storable";

export type Access = "admin" | "public" | "cron";

type RouteContext<P> = { params: Promise<P> };

export type HandlerInput<P, A extends Access> = {
  req: Request;
  params: P;
  url: URL;
  principal: A extends "admin" ? Principal : null;
};

export function json(data: unknown, init: { status?: number; headers?: HeadersInit } = {}) {
  return Response.json(data, { status: init.status ?? 200, headers: init.headers });
}

export const noContent = () => new Response(null, { status: 204 });

export function errorResponse(error: unknown) {
  if (error instanceof AppError) {
    const headers = new Headers();
    if (error.status === 429 && typeof error.extra?.retryAfterSeconds === "number") {
      headers.set("retry-after", String(error.extra.retryAfterSeconds));
    }
    return json(errorBody(error), { status: error.status, headers });
  }
  if (isDatabaseUnavailable(error)) {
    console.error("[api] database unavailable:", error instanceof Error ? error.message : String(error));
    return json(
      { code: "service_unavailable", message: "The database is unavailable. Nothing was stored; try again shortly." },
      { status: 503, headers: { "retry-after": "5" } },
    );
  }
  // Unknown errors are logged for operators and never leak their message to the client.
  console.error("[api] unexpected error", error);
  return json({ code: "internal_error", message: "Something went wrong on our side." }, { status: 500 });
}

async function authorize(access: Access, req: Request): Promise<Principal | null> {
  if (access === "public") {
    // Sign-in and setup set the session cookie: a cross-site page must not sign a browser in.
    assertSameOrigin(req.method, req.url, req.headers, { requireOrigin: false });
    return null;
  }
  if (access === "cron") {
    const secret = config().CRON_SECRET;
    const token = bearerToken(req.headers.get("authorization"));
    if (!secret || !token || !safeEqual(token, secret)) throw unauthorized("A valid CRON_SECRET bearer token is required.");
    return null;
  }
  const principal = await authenticate(req.headers);
  if (!principal) throw unauthorized();
  if (principal.kind === "session") assertSameOrigin(req.method, req.url, req.headers);
  return principal;
}

export function apiRoute<P = Record<string, never>, A extends Access = "admin">(
  access: A,
  handler: (input: HandlerInput<P, A>) => Promise<Response>,
) {
  return async (req: Request, context?: RouteContext<P>) => {
    try {
      const principal = await authorize(access, req);
      const params = ((await context?.params) ?? {}) as P;
      // No stored id holds such characters, and PostgreSQL would fail on them instead of missing.
      if (Object.values(params as Record<string, unknown>).some((value) => typeof value === "string" && isUnstorableText(value))) {
        throw notFound("Resource");
      }
      const url = new URL(req.url);
      const badQuery = unstorableQuery(url.searchParams);
      if (badQuery) throw invalidInput(badQuery);
      return await handler({ req, params, url, principal } as HandlerInput<P, A>);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Reads a JSON body: 413 past `maxBytes`, 400 when it is not JSON or holds what cannot be stored. */
export async function readJson(req: Request, maxBytes = 1024 * 1024): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw payloadTooLarge(maxBytes);
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw payloadTooLarge(maxBytes);
  if (text.trim() === "") throw new AppError(400, "invalid_json", "The request body must be JSON.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
  const problem = unstorableJson(parsed);
  if (problem) throw invalidInput(problem);
  return parsed;
}

const invalidInput = (problem: FieldError) =>
  new AppError(400, "validation_failed", `Invalid input. ${problem.path ? `${problem.path}: ` : ""}${problem.message}`, [problem]);

const payloadTooLarge = (maxBytes: number) =>
  new AppError(413, "payload_too_large", `The request body exceeds ${Math.round(maxBytes / 1024)} KB.`);

/** Client address for throttling: the first X-Forwarded-For hop when present. */
export function clientAddress(req: Request) {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || req.headers.get("x-real-ip") || "local";
}
