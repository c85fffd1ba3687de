// Two signatures over the exact body bytes, both keyed with the webhook's signing key:
//
// 1. Logto's: `logto-signature-sha-256: hex(HMAC-SHA256(signingKey, body))`. A receiver recomputes
//    it over the raw request body (never a re-serialized one) and compares in constant time.
// 2. Standard Webhooks (https://www.standardwebhooks.com): `webhook-id` (the delivery id, stable
//    across attempts: deduplicate on it), `webhook-timestamp` (Unix seconds of this attempt) and
//    `webhook-signature: v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>`. The HMAC key is
//    the UTF-8 bytes of the signing key, so with the `standardwebhooks` library the secret is
//    `"whsec_" + base64(signingKey)` (see `standardWebhooksSecret`):
//      new Webhook(secret).verify(rawBody, headers)  // throws unless valid and fresh (5 min)
//    The timestamp makes a captured request useless for replay after the tolerance window.
//
// Key rotation with a grace period: until the previous key expires, `webhook-signature` carries
// one signature per key, space-separated, as the Standard Webhooks spec allows; a receiver accepts
// the request when any of them matches. The Logto header is a single value by contract, so it is
// always computed with the current key.
import { createHmac } from "node:crypto";

export type SigningKeys = {
  signingKey: string;
  previousSigningKey?: string | null;
  previousKeyExpiresAt?: Date | null;
};

export const logtoSignature = (key: string, body: string) => createHmac("sha256", key).update(body).digest("hex");

export function standardSignature(key: string, messageId: string, timestampSeconds: number, body: string) {
  // A string key is taken as its UTF-8 bytes; the body is hashed in place, not copied into one string.
  const digest = createHmac("sha256", key).update(`${messageId}.${timestampSeconds}.`).update(body).digest("base64");
  return `v1,${digest}`;
}

/** The secret to give the `standardwebhooks` library (or any Standard Webhooks verifier). */
export const standardWebhooksSecret = (signingKey: string) => `whsec_${Buffer.from(signingKey, "utf8").toString("base64")}`;

/** The current key, then the previous one while its grace period lasts. */
export function activeSigningKeys(keys: SigningKeys, now = new Date()) {
  const active = [keys.signingKey];
  if (keys.previousSigningKey && keys.previousKeyExpiresAt && keys.previousKeyExpiresAt > now) {
    active.push(keys.previousSigningKey);
  }
  return active;
}

export function signatureHeaders(input: { keys: SigningKeys; messageId: string; body: string; now?: Date }) {
  const now = input.now ?? new Date();
  const timestamp = Math.floor(now.getTime() / 1000);
  const signatures = activeSigningKeys(input.keys, now).map((key) => standardSignature(key, input.messageId, timestamp, input.body));
  return {
    "logto-signature-sha-256": logtoSignature(input.keys.signingKey, input.body),
    "webhook-id": input.messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}
