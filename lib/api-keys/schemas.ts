import { z } from "zod";

/** `ingest`: POST /api/events and /api/events/batch only. `admin`: the management API too. */
export const API_KEY_SCOPES = ["ingest", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(128, "At most 128 characters."),
  // Absent means "admin", what every key was before scopes, so existing callers of
  // POST /api/api-keys get the key they always got; the console preselects "ingest".
  scope: z.enum(API_KEY_SCOPES, { error: 'Choose "ingest" or "admin".' }).default("admin"),
});

export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

/** What leaves the server about a key: never its hash, the secret only once at creation. */
export const apiKeyOutput = (key: {
  id: string;
  name: string;
  prefix: string;
  scope: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scope: (key.scope === "ingest" ? "ingest" : "admin") as ApiKeyScope,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

export type ApiKeyOutput = ReturnType<typeof apiKeyOutput>;

/** The contract of `apiKeyOutput` (times as ISO strings), which the console and the tests parse with. */
export const apiKeyOutputSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scope: z.enum(API_KEY_SCOPES),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
}) satisfies z.ZodType<ApiKeyOutput>;
/** `POST /api/api-keys`: the key with its secret, the only time it is shown. */
export const createdApiKeySchema = apiKeyOutputSchema.extend({ key: z.string() });
