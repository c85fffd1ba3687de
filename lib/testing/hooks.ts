// Hook rows for delivery tests, written directly so these tests depend only on the schema.
import { randomId, randomString } from "@/lib/auth/crypto";
import { appContext } from "@/lib/context";

const KEY_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

export async function createTestHook(input: {
  url: string;
  events?: string[];
  headers?: { key: string; value: string }[];
  enabled?: boolean;
  name?: string;
}) {
  return appContext().db.hook.create({
    data: {
      id: randomId(21),
      name: input.name ?? "Test hook",
      url: input.url,
      events: input.events ?? ["User.Created"],
      headers: input.headers ?? [],
      signingKey: randomString(KEY_ALPHABET, 32),
      enabled: input.enabled ?? true,
    },
  });
}
