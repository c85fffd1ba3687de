import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { buildRequestHeaders, REDACTED, redactHeaders } from "./headers";
import { activeSigningKeys, logtoSignature, signatureHeaders, standardWebhooksSecret } from "./signing";

const key = "Abc123def456GHI789jkl012MNO345pq";
const body = '{"hookId":"h1","event":"User.Created","createdAt":"2026-01-01T00:00:00.000Z","data":{"name":"Zoë"}}';

describe("signatures", () => {
  it("computes Logto's hex HMAC-SHA256 over the exact body bytes", () => {
    const expected = createHmac("sha256", Buffer.from(key, "utf8")).update(Buffer.from(body, "utf8")).digest("hex");
    expect(logtoSignature(key, body)).toBe(expected);
    expect(logtoSignature(key, `${body} `)).not.toBe(expected);
  });

  it("produces Standard Webhooks headers that the standardwebhooks library verifies", () => {
    const headers = signatureHeaders({ keys: { signingKey: key }, messageId: "8d3b7c1e-delivery", body });
    expect(headers["webhook-id"]).toBe("8d3b7c1e-delivery");
    expect(headers["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const webhook = new Webhook(standardWebhooksSecret(key));
    expect(webhook.verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => webhook.verify(body.replace("Zoë", "Zoe"), headers)).toThrow();
    expect(() => new Webhook(standardWebhooksSecret("another-key-another-key-another!")).verify(body, headers)).toThrow();
  });

  it("signs with both keys during a rotation grace period, only the current one afterwards", () => {
    const now = new Date();
    const old = "OldKeyOldKeyOldKeyOldKeyOldKey12";
    const rotating = { signingKey: key, previousSigningKey: old, previousKeyExpiresAt: new Date(now.getTime() + 3_600_000) };
    expect(activeSigningKeys(rotating, now)).toEqual([key, old]);
    const headers = signatureHeaders({ keys: rotating, messageId: "m1", body, now });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    // A receiver still on the old key and one already on the new key both verify.
    expect(() => new Webhook(standardWebhooksSecret(old)).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(standardWebhooksSecret(key)).verify(body, headers)).not.toThrow();
    expect(headers["logto-signature-sha-256"]).toBe(logtoSignature(key, body));

    const expired = { ...rotating, previousKeyExpiresAt: new Date(now.getTime() - 1) };
    expect(activeSigningKeys(expired, now)).toEqual([key]);
  });
});

describe("request headers", () => {
  it("puts custom headers between ours and the signatures, which they cannot replace", () => {
    const headers = buildRequestHeaders(
      [
        { key: "X-Team", value: "payments" },
        { key: "User-Agent", value: "custom-agent" },
        { key: "webhook-signature", value: "forged" },
        { key: "Content-Type", value: "text/plain" },
      ],
      { "webhook-signature": "v1,real" },
    );
    expect(headers).toEqual({
      "user-agent": "custom-agent",
      "content-type": "application/json",
      "x-team": "payments",
      "webhook-signature": "v1,real",
    });
  });

  it("redacts credentials in what is recorded and keeps the signatures", () => {
    const recorded = redactHeaders({
      Authorization: "Bearer s3cret",
      "x-api-key": "k",
      "x-auth-token": "t",
      cookie: "a=b",
      "logto-signature-sha-256": "abc",
      "webhook-signature": "v1,abc",
      "webhook-id": "id-1",
      "webhook-timestamp": "1700000000",
      "x-team": "payments",
    });
    expect(recorded).toEqual({
      authorization: REDACTED,
      "x-api-key": REDACTED,
      "x-auth-token": REDACTED,
      cookie: REDACTED,
      // Our per-delivery signatures are an HMAC of one public body, not credentials: recorded as sent.
      "logto-signature-sha-256": "abc",
      "webhook-signature": "v1,abc",
      "webhook-id": "id-1",
      "webhook-timestamp": "1700000000",
      "x-team": "payments",
    });
  });
});
