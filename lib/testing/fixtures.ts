import { createApiKey } from "@/lib/api-keys/service";
import { createSession, setupFirstAdmin } from "@/lib/auth/service";
import { ctx } from "@/lib/testing/context";

/** An admin plus a session token and an API key, for tests of protected routes. */
export async function signedInAdmin(email = "admin@example.com") {
  const admin = await setupFirstAdmin(ctx, { email, password: "correct horse battery" });
  const { token } = await createSession(ctx, admin.id);
  const { key } = await createApiKey(ctx, { name: "tests" });
  return { admin, session: token, apiKey: key };
}
