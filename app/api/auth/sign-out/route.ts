import { clearedSessionCookie } from "@/lib/auth/cookies";
import { readCookie } from "@/lib/auth/principal";
import { SESSION_COOKIE, signOut } from "@/lib/auth/service";
import { apiRoute, noContent } from "@/lib/http/route";

export const POST = apiRoute("admin", async ({ req, ctx }) => {
  await signOut(ctx, readCookie(req.headers.get("cookie"), SESSION_COOKIE));
  const response = noContent();
  response.headers.set("set-cookie", clearedSessionCookie(req));
  return response;
});
