// Next 16's request proxy (formerly middleware): a fresh nonce per page request for the
// Content-Security-Policy. Next reads the policy from the request headers and puts the nonce on
// its own scripts; the root layout reads it (dynamic rendering, so each answer gets its own).
import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy } from "@/lib/http/security-headers";

const NONCE_HEADER = "x-nonce";

export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const https = request.headers.get("x-webhook-console-client-proto") === "https" || request.nextUrl.protocol === "https:";
  const policy = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Pages only: the API and static files get their headers from the server (lib/http/security-headers.ts).
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" }],
};
