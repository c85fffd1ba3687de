import { sessionCookie } from "@/lib/auth/cookies";
import { credentialsSchema } from "@/lib/auth/schemas";
import { signIn } from "@/lib/auth/service";
import { parseOrThrow } from "@/lib/errors";
import { apiRoute, clientAddress, json, readJson } from "@/lib/http/route";

export const POST = apiRoute("public", async ({ req, ctx }) => {
  const credentials = parseOrThrow(credentialsSchema, await readJson(req, 16 * 1024));
  const session = await signIn(ctx, credentials, clientAddress(req));
  return json({ ok: true }, { headers: { "set-cookie": sessionCookie(req, session.token, session.expiresAt) } });
});
