import { appContext } from "@/lib/context";
import { clientOf } from "@/lib/http/client";
import { SESSION_COOKIE } from "./service";

// https as the client reached us (a trusted proxy's X-Forwarded-Proto counts), or an https APP_URL.
function isHttps(req: Request) {
  return clientOf(req).proto === "https" || appContext().config.APP_URL?.startsWith("https:") === true;
}

export function sessionCookie(req: Request, token: string, expiresAt: Date) {
  const secure = isHttps(req) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`;
}

export function clearedSessionCookie(req: Request) {
  const secure = isHttps(req) ? "; Secure" : "";
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}
