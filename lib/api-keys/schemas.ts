import { z } from "zod";

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(128, "At most 128 characters."),
});

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** What leaves the server about a key: never its hash, the secret only once at creation. */
export const apiKeyOutput = (key: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

export type ApiKeyOutput = ReturnType<typeof apiKeyOutput>;
