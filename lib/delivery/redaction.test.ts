import { describe, expect, it } from "vitest";
import { isSecretName, isSecretValue, REDACTED, redactEchoes, redactHeaders, redactSecretsIn, redactUrl, redactUrlsIn } from "./redaction";

// Built at run time so no scanner takes this file for a leak; shaped like the real thing.
const STRIPE = ["sk", "live", "51H8dXJ2eZvKYlo2CkQ9wLr7"].join("_");
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
const SHORT_JWT = "eyJhbGci.eyJzdWIi.c2ln";
const RANDOM_24 = "q8Xv2LmZ7nR4tB9wK3pY6sDf";

describe("isSecretName", () => {
  it.each([
    "Authorization",
    "proxy-authorization",
    "Cookie",
    "set-cookie",
    "logto-signature-sha-256",
    "webhook-signature",
    "X-Api-Key",
    "x-auth-token",
    "Webhook-Secret",
    "X-Session-Id",
    "x-password",
    "X-Client-Credential",
    "private_key",
    "api_key",
    "apikey",
    "access_token",
    "token",
    "key",
    "sig",
    "X-Sig",
    "hmac",
    "pwd",
    "pass",
    "jwt",
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Security-Token",
  ])("%s is a secret name", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "content-type",
    "user-agent",
    "webhook-id",
    "webhook-timestamp",
    "x-team",
    "x-request-id",
    "page",
    "sv",
    "se",
    "region",
    "passage",
    "design",
    "signal",
  ])("%s is not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe("isSecretValue", () => {
  it.each([
    ["a bearer token", "Bearer abc"],
    ["a lower-case scheme", "bearer abc"],
    ["basic credentials", "Basic dXNlcjpwYXNz"],
    ["digest credentials", 'Digest username="u", response="6629fae4"'],
    ["a token scheme", "Token 1234"],
    ["an ApiKey scheme", "ApiKey k-1"],
    ["an AWS signature", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request"],
    ["a JWT", JWT],
    ["a short JWT", SHORT_JWT],
    ["a JWT inside text", `jwt was ${SHORT_JWT} here`],
    ["a Stripe secret key", STRIPE],
    ["a Stripe test key", ["sk", "test", "abcdefgh1"].join("_")],
    ["a Stripe live publishable key", ["pk", "live", "abcdefgh1"].join("_")],
    ["an OpenAI-style key", ["sk", "proj", "abcdefghijklmnop1234"].join("-")],
    ["a GitHub token", `ghp_${"a1B2".repeat(9)}`],
    ["a GitHub fine-grained token", `github_pat_${"11ABCDEFG".repeat(3)}`],
    ["a GitLab token", `glpat-${"x9Y8".repeat(5)}`],
    ["a Slack bot token", "xoxb-1234-5678-abcdefgh"],
    ["a Slack user token", "xoxp-1234-5678-abcdefgh"],
    ["an AWS access key id", `AKIA${"IOSFODNN7EXAMPLE"}`],
    ["a Google API key", `AIza${"SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"}`],
    ["a webhook secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["a SendGrid key", `SG.${"abcdEFGH1234ijkl"}.${"mnopQRST5678uvwx"}`],
    ["a known token after a separator", `key:${STRIPE}`],
    ["a random 24-char token", RANDOM_24],
    ["a random token inside text", `ref ${RANDOM_24} end`],
    ["a 40-char hex digest", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"],
    ["base64 of random bytes", "K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols="],
    ["mixed-case letters only", "QwErTyUiOpAsDfGhJkLzXcVbNm"],
    ["a secret-named pair in a value", "region=eu; api_key=abc"],
    ["a session pair", "sessionid=42"],
  ])("%s", (_label, value) => {
    expect(isSecretValue(value)).toBe(true);
  });

  it.each([
    ["a MIME type", "application/json"],
    ["a MIME type with a charset", "text/html; charset=utf-8"],
    ["a long vendor MIME type", "application/vnd.github.v3+json"],
    ["an ISO date", "2024-01-01T00:00:00.000Z"],
    ["an HTTP date", "Mon, 01 Jan 2024 00:00:00 GMT"],
    ["a Unix timestamp", "1700000000"],
    ["a millisecond timestamp", "1700000000000"],
    ["a UUID (our webhook-id)", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"],
    ["an upper-case UUID", "3F2504E0-4F89-41D3-9A0C-0305E82C3301"],
    ["a user agent", "WebhookConsole/0.1.0"],
    ["a browser user agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"],
    ["a word", "payments"],
    ["hyphenated words", "no-cache-no-store-must-revalidate"],
    ["a sentence", "The quick brown fox jumps over the lazy dog 42 times"],
    ["a cache directive", "max-age=31536000, includeSubDomains"],
    ["a plain pair", "region=eu; tier=gold"],
    ["a short id", "req_12345"],
    ["a 23-char mixed run (under the limit)", RANDOM_24.slice(1)],
    ["a scheme word without a credential", "Bearer"],
    ["a known prefix inside a longer word", "task_1234567890"],
    ["the redaction marker", REDACTED],
    ["an empty value", ""],
  ])("%s is not", (_label, value) => {
    expect(isSecretValue(value)).toBe(false);
  });
});

describe("redactHeaders", () => {
  it("lets the per-delivery signatures through: an HMAC of the public body, not a credential", () => {
    const signatures = {
      "logto-signature-sha-256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "webhook-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,3B2lJ3yqGXzCKl7EB4o7HzWxYq+3rbkgYB4EKlWcKXc=",
    };
    expect(redactHeaders({ ...signatures, "webhook-id": "d1" })).toEqual({ ...signatures, "webhook-id": "d1" });
  });

  it("keeps redacting signatures that are credentials: a static one in a custom header, a presigned URL's", () => {
    expect(
      redactHeaders({ "X-Signature": "receiver-signature-value-aa01", "X-Hub-Signature-256": "sha256=abc", "X-Amz-Signature": "f0e1" }),
    ).toEqual({
      "x-signature": REDACTED,
      "x-hub-signature-256": REDACTED,
      "x-amz-signature": REDACTED,
    });
  });

  it("redacts by name, lower-casing names", () => {
    expect(redactHeaders({ Authorization: "x", "X-Api-Key": "k", Cookie: "a=b", "Webhook-Secret": "s", "X-Sig": "1" })).toEqual({
      authorization: REDACTED,
      "x-api-key": REDACTED,
      cookie: REDACTED,
      "webhook-secret": REDACTED,
      "x-sig": REDACTED,
    });
  });

  it("redacts credentials under harmless names", () => {
    expect(
      redactHeaders({
        "X-Api": "Bearer abc123",
        "X-Partner": "Basic dXNlcjpwYXNz",
        "X-Stripe": STRIPE,
        "X-Identity": JWT,
        "X-Opaque": RANDOM_24,
        "X-Aws": `AKIA${"IOSFODNN7EXAMPLE"}`,
      }),
    ).toEqual({
      "x-api": REDACTED,
      "x-partner": REDACTED,
      "x-stripe": REDACTED,
      "x-identity": REDACTED,
      "x-opaque": REDACTED,
      "x-aws": REDACTED,
    });
  });

  it("keeps our own headers and ordinary values readable", () => {
    const headers = {
      "user-agent": "WebhookConsole/0.1.0",
      "content-type": "application/json",
      "webhook-id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      "webhook-timestamp": "1700000000",
      "x-team": "payments",
      "x-request-id": "9b2d6c1e-7a41-4f0e-bc1d-2a7e4f5d9c80",
      "x-sent-at": "2024-01-01T00:00:00.000Z",
      date: "Mon, 01 Jan 2024 00:00:00 GMT",
      "retry-after": "120",
    };
    expect(redactHeaders(headers)).toEqual(headers);
  });

  it("keeps standard headers whose values only look random", () => {
    const headers = {
      etag: '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"',
      "content-type": "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
    };
    expect(redactHeaders(headers)).toEqual(headers);
  });

  it("redacts inside URL values and keeps the rest of them", () => {
    expect(
      redactHeaders({
        location: "https://elsewhere.example/login?next=%2Fhome&token=abc",
        "content-location": "/callback?code=1&access_token=xyz",
        "x-callback": "https://hooks.example.com/in?api_key=k1&team=a",
      }),
    ).toEqual({
      location: `https://elsewhere.example/login?next=%2Fhome&token=${REDACTED}`,
      "content-location": `/callback?code=1&access_token=${REDACTED}`,
      "x-callback": `https://hooks.example.com/in?api_key=${REDACTED}&team=a`,
    });
  });

  it("judges text around a URL as a whole", () => {
    expect(redactHeaders({ "x-note": "see https://a.example/ then token=abc" })).toEqual({ "x-note": REDACTED });
    expect(redactHeaders({ "x-note": "see https://a.example/docs" })).toEqual({ "x-note": "see https://a.example/docs" });
  });

  it("is idempotent (rows are redacted when recorded and again when read)", () => {
    const once = redactHeaders({ "X-Api": "Bearer abc", location: "https://a.example/?sig=1", "x-team": "payments" });
    expect(redactHeaders(once)).toEqual(once);
  });
});

describe("redactUrl", () => {
  it.each([
    ["https://hooks.example.com/in?token=abc", `https://hooks.example.com/in?token=${REDACTED}`],
    ["https://hooks.example.com/in?api_key=abc&team=a", `https://hooks.example.com/in?api_key=${REDACTED}&team=a`],
    ["https://hooks.example.com/in?team=a&access_token=abc", `https://hooks.example.com/in?team=a&access_token=${REDACTED}`],
    [
      "https://x.blob.core.windows.net/c?sv=2022-11-02&sp=w&sig=abc%2Bdef%3D",
      `https://x.blob.core.windows.net/c?sv=2022-11-02&sp=w&sig=${REDACTED}`,
    ],
    ["https://hooks.example.com/in?apikey=abc", `https://hooks.example.com/in?apikey=${REDACTED}`],
    [
      "https://hooks.example.com/in?X-Amz-Signature=abc&X-Amz-Date=20240101T000000Z",
      `https://hooks.example.com/in?X-Amz-Signature=${REDACTED}&X-Amz-Date=20240101T000000Z`,
    ],
    ["https://hooks.example.com/in?api%5Fkey=abc", `https://hooks.example.com/in?api%5Fkey=${REDACTED}`],
    [`https://hooks.example.com/in?ref=${STRIPE}`, `https://hooks.example.com/in?ref=${REDACTED}`],
    [`https://hooks.example.com/in?auth=Bearer%20abc`, `https://hooks.example.com/in?auth=${REDACTED}`],
    [`https://hooks.example.com/in?id=${JWT}`, `https://hooks.example.com/in?id=${REDACTED}`],
    [`https://hooks.example.com/in?${RANDOM_24}`, `https://hooks.example.com/in?${REDACTED}`],
    ["https://user:pass@hooks.example.com/in", `https://${REDACTED}@hooks.example.com/in`],
    ["https://token@hooks.example.com:8443/in", `https://${REDACTED}@hooks.example.com:8443/in`],
    [`https://hooks.slack.com/services/T0000/B0000/${RANDOM_24}`, `https://hooks.slack.com/services/T0000/B0000/${REDACTED}`],
    ["https://app.example.com/cb#access_token=abc&state=1", `https://app.example.com/cb#access_token=${REDACTED}&state=1`],
  ])("%s", (url, recorded) => {
    expect(redactUrl(url)).toBe(recorded);
  });

  it.each([
    "https://hooks.example.com/in",
    "https://hooks.example.com/",
    "https://hooks.example.com",
    "http://127.0.0.1:4567/hook",
    "https://hooks.example.com/in?team=payments&v=2",
    "https://hooks.example.com/in?token=",
    "https://hooks.example.com/in?flag",
    "https://hooks.example.com/orders/3f2504e0-4f89-41d3-9a0c-0305e82c3301?at=2024-01-01T00:00:00Z",
    "https://hooks.example.com/in#section-2",
    "/relative/path?page=2",
    "not a url",
    "",
  ])("%s is kept as written", (url) => {
    expect(redactUrl(url)).toBe(url);
  });

  it("is idempotent", () => {
    const once = redactUrl(`https://u:p@hooks.example.com/a/${RANDOM_24}?token=abc&sig=1#jwt=x`);
    expect(once).toBe(`https://${REDACTED}@hooks.example.com/a/${REDACTED}?token=${REDACTED}&sig=${REDACTED}#jwt=${REDACTED}`);
    expect(redactUrl(once)).toBe(once);
  });
});

describe("redactUrlsIn", () => {
  it("redacts the URLs quoted in a message and leaves the rest", () => {
    expect(redactUrlsIn("HTTP 302: redirects are not followed (Location: https://elsewhere.example/?token=abc).")).toBe(
      `HTTP 302: redirects are not followed (Location: https://elsewhere.example/?token=${REDACTED}).`,
    );
    expect(redactUrlsIn("Timed out after 10000 ms.")).toBe("Timed out after 10000 ms.");
  });
});

describe("redactEchoes", () => {
  const sent = {
    url: "https://hooks.example.com/in?token=tok-7f3a9c21&team=payments",
    headers: {
      "X-Partner": "Bearer partner-3c9d41aa",
      "X-Opaque": RANDOM_24,
      "X-Team": "payments",
      "webhook-id": "5f8a3c2e-1b2c-4d5e-8f90-123456789abc",
    },
  };
  const recorded = { url: redactUrl(sent.url), headers: redactHeaders(sent.headers) };

  it("removes from a response every credential redacted from its request, whole or after its scheme", () => {
    const echo = JSON.stringify({ url: sent.url, headers: sent.headers, note: "partner-3c9d41aa again" });
    const out = redactEchoes(echo, sent, recorded);
    for (const secret of ["tok-7f3a9c21", "Bearer partner-3c9d41aa", "partner-3c9d41aa", RANDOM_24]) expect(out).not.toContain(secret);
    expect(out).toContain(`"X-Partner":"${REDACTED}"`);
    expect(out).toContain(`"note":"${REDACTED} again"`);
  });

  it("leaves what was not redacted, and bodies that echo nothing, as they are", () => {
    const body = '{"ok":true,"team":"payments","id":"5f8a3c2e-1b2c-4d5e-8f90-123456789abc","word":"Bearer"}';
    expect(redactEchoes(body, sent, recorded)).toBe(body);
    expect(redactEchoes("", sent, recorded)).toBe("");
  });
});

describe("redactSecretsIn", () => {
  it("removes JWTs, providers' tokens and URL secrets from a response body", () => {
    const body = JSON.stringify({
      access_token: JWT,
      short: SHORT_JWT,
      stripe: `key ${STRIPE} here`,
      github: ["ghp", "A1b2C3d4E5f6G7h8I9j0K1l2"].join("_"),
      callback: "https://api.example.com/cb?token=tok-7f3a9c21&page=2",
    });
    const out = redactSecretsIn(body);
    for (const secret of [JWT, SHORT_JWT, STRIPE, "A1b2C3d4E5f6G7h8I9j0K1l2", "tok-7f3a9c21"]) expect(out).not.toContain(secret);
    expect(JSON.parse(out)).toMatchObject({
      access_token: REDACTED,
      stripe: `key ${REDACTED} here`,
      callback: expect.stringContaining("page=2"),
    });
  });

  it("keeps ids, hashes and ordinary text", () => {
    const body = JSON.stringify({
      id: "5f8a3c2e-1b2c-4d5e-8f90-123456789abc",
      sha: "3f786850e387550fdab836ed7e6dc881de23001b",
      trace: RANDOM_24,
      note: "sk-short, eyJ alone, ghp_ too",
      link: "https://example.com/docs?page=2",
    });
    expect(redactSecretsIn(body)).toBe(body);
  });
});
