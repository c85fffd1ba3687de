import { sessionCookie } from "@/lib/auth/cookies";
import { setupSchema } from "@/lib/auth/schemas";
import { createSession, setupFirstAdmin } from "@/lib/auth/service";
import { parseOrThrow } from "@/lib/errors";
import { clientOf } from "@/lib/http/client";
import { apiRoute, json, readJson } from "@/lib/http/route";

const setupClient = (req: Request) => {
  const client = clientOf(req);
  return { address: client.address, forwarded: client.forwarded ?? false };
};

// Open only while no admin exists: setupFirstAdmin refuses afterwards.
export const POST = apiRoute("public", async ({ req, ctx }) => {
  const input = parseOrThrow(setupSchema, await readJson(req, 16 * 1024));
  const admin = await setupFirstAdmin(ctx, input, setupClient(req));
  const session = await createSession(ctx, admin.id);
  return json({ email: admin.email }, { status: 201, headers: { "set-cookie": sessionCookie(req, session.token, session.expiresAt) } });
});
