// The one wrapper for the console's server actions, the counterpart of apiRoute("session"):
// a signed-in admin session (API keys never call actions), the same-origin rule for that cookie,
// inputs no row can hold refused as the routes refuse them, and every error as the API's
// envelope with the status the route would answer (unknown errors never leak their message).
// Actions parse with the same schemas and call the same services as the route handlers.
import { headers } from "next/headers";
import { assertSameOrigin, authenticate } from "@/lib/auth/principal";
import { appContext, type ServiceContext } from "@/lib/context";
import { invalidInput, notFound, unauthorized } from "@/lib/errors";
import type { ActionResult } from "./action-result";
import { errorAnswer } from "./errors";
import { isUnstorableText, unstorableJson } from "./storable";

export type ActionInput = { ids?: string[]; body?: unknown };

/** The wrapper with the request's headers given; `adminAction` reads them from Next. */
export async function runAdminAction<T>(
  requestHeaders: Pick<Headers, "get">,
  { ids = [], body }: ActionInput,
  run: (ctx: ServiceContext) => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    const ctx = appContext();
    const principal = await authenticate(ctx, requestHeaders);
    if (principal?.kind !== "session") throw unauthorized("Sign in to the console.");
    // An action is a POST to the page's own URL; what matters here is the origin it came from.
    const host = requestHeaders.get("host") ?? "localhost";
    assertSameOrigin({ method: "POST", url: `http://${host}/`, headers: requestHeaders });
    if (ids.some(isUnstorableText)) throw notFound("resource");
    const problem = body === undefined ? null : unstorableJson(body);
    if (problem) throw invalidInput([problem]);
    return { ok: true, data: await run(ctx) };
  } catch (error) {
    const { status, body: envelope } = errorAnswer(error);
    return { ok: false, status, error: envelope };
  }
}

export async function adminAction<T>(input: ActionInput, run: (ctx: ServiceContext) => Promise<T>): Promise<ActionResult<T>> {
  return runAdminAction(await headers(), input, run);
}
