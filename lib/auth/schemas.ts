import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 12;

// Words that make up most leaked passwords; a password built only from them (with digits and
// symbols around) is refused however long it is.
const COMMON_WORDS = [
  "password",
  "passwort",
  "qwerty",
  "azerty",
  "letmein",
  "welcome",
  "admin",
  "administrator",
  "changeme",
  "iloveyou",
  "secret",
  "webhook",
  "webhooks",
  "console",
  "login",
  "abc",
  "test",
];
const ONLY_COMMON = new RegExp(`^(?:${COMMON_WORDS.join("|")})*$`);

/** Why a new password (setup, ADMIN_PASSWORD) is too weak; null when it is strong enough. */
export function passwordWeakness(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (new Set(password.toLowerCase()).size < 5) return "Use more different characters.";
  const letters = password.toLowerCase().replace(/[^a-z]/g, "");
  if (ONLY_COMMON.test(letters)) return "This password is too common. Try a few unrelated words.";
  return null;
}

/** A new admin password: long, varied, and not made of the most common words. */
export const newPasswordSchema = z
  .string()
  .max(1024)
  .superRefine((password, ctx) => {
    const weakness = passwordWeakness(password);
    if (weakness) ctx.addIssue({ code: "custom", message: weakness });
  });

export const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(1024),
});

export const setupSchema = credentialsSchema.extend({
  password: newPasswordSchema,
  // Printed on the terminal by `npm start`; required unless the browser is on the server's machine.
  setupToken: z.string().max(256).optional(),
});

export type Credentials = z.infer<typeof credentialsSchema>;
export type SetupInput = z.infer<typeof setupSchema>;

// ---- output -----------------------------------------------------------------------------------

/** `POST /api/auth/sign-in` (the session is in the cookie). */
export const signInResultSchema = z.object({ ok: z.literal(true) });
/** `POST /api/auth/setup`: the admin just created. */
export const setupResultSchema = z.object({ email: z.string() });
/** `GET /api/auth/me`: who is calling. */
export const callerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("session"), email: z.string() }),
  z.object({ kind: z.literal("api_key") }),
]);
