import { z } from "zod";

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(1024),
});

export const setupSchema = credentialsSchema.extend({
  password: z.string().min(10, "Use at least 10 characters.").max(1024),
});

export type Credentials = z.infer<typeof credentialsSchema>;

// ---- output -----------------------------------------------------------------------------------

/** `POST /api/auth/sign-in` (the session is in the cookie). */
export const signInResultSchema = z.object({ ok: z.literal(true) });
/** `POST /api/auth/setup`: the admin just created. */
export const setupResultSchema = z.object({ email: z.string() });
/** `GET /api/auth/me`: who is calling. */
export const callerSchema = z.discriminatedUnion("kind", [z.object({ kind: z.literal("session"), email: z.string() }), z.object({ kind: z.literal("api_key") })]);
