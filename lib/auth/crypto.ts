import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

import { ServiceError } from "@/lib/errors";

/**
 * Bounds concurrent argon2 work (each hash holds ~19 MiB and a core for tens of ms): anonymous
 * sign-ins and setups beyond it wait in a short queue, and past the queue get a quick 503 instead
 * of starving the rest of the API (issue 11: 16 concurrent sign-ins took every call's median
 * latency from 23 to 363 ms).
 */
export const MAX_CONCURRENT_HASHES = 2;
export const MAX_QUEUED_HASHES = 6;

const gate = { running: 0, queue: [] as (() => void)[] };

async function hashing<T>(work: () => Promise<T>): Promise<T> {
  if (gate.running >= MAX_CONCURRENT_HASHES) {
    if (gate.queue.length >= MAX_QUEUED_HASHES) {
      throw new ServiceError("server_busy", "Too many sign-ins are being checked right now. Try again in a moment.", {
        data: { retryAfterSeconds: 1 },
      });
    }
    await new Promise<void>((resolve) => gate.queue.push(resolve));
  } else {
    gate.running++;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter (running stays counted), or free it.
    const next = gate.queue.shift();
    if (next) next();
    else gate.running--;
  }
}

/** argon2id with the library's defaults (OWASP-recommended cost), within the hashing bound. */
export const hashPassword = (password: string) => hashing(() => hash(password));

export async function verifyPassword(passwordHash: string, password: string) {
  try {
    return await hashing(() => verify(passwordHash, password));
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    return false;
  }
}

export const randomToken = (bytes = 32) => randomBytes(bytes).toString("base64url");

/** Session tokens and API keys are high-entropy, so a fast hash is enough to store them safely. */
export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

export function safeEqual(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Lowercase base36 id, as Logto's ids: `length` chars of [0-9a-z]. */
export function randomId(length = 21) {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  return randomString(alphabet, length);
}

export function randomString(alphabet: string, length: number) {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}
