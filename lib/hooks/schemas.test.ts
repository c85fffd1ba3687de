// The shared schema as the browser form uses it, the output mapping, and a guard that the module
// stays importable in the browser.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "@/lib/errors";
import { createHookSchema, hookFormSchema, hookOutput, subscribedEvents, updateHookSchema, type StoredHook } from "./schemas";

const strict = { allowLocalEndpoints: false };
const local = { allowLocalEndpoints: true };

function fields(result: { success: boolean; error?: Parameters<typeof fieldErrorsOf>[0] }) {
  return result.error ? fieldErrorsOf(result.error) : [];
}

describe("browser safety", () => {
  it("imports nothing server-only, transitively", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, "utf8");
      for (const [, specifier = ""] of source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm)) {
        expect(specifier, `${path.relative(root, file)} imports ${specifier}`).not.toMatch(/^node:|^@\/lib\/(db|config|auth|http\/route)/);
        if (specifier.startsWith("@/")) visit(path.join(root, `${specifier.slice(2)}.ts`));
        else if (specifier.startsWith(".")) visit(path.join(path.dirname(file), `${specifier}.ts`));
        else expect(specifier).toBe("zod");
      }
    };
    visit(path.join(root, "lib/hooks/schemas.ts"));
    expect([...seen].map((file) => path.relative(root, file)).sort()).toEqual([
      "lib/assert.ts",
      "lib/hooks/events.ts",
      "lib/hooks/schemas.ts",
      "lib/net/address.ts",
    ]);
  });
});

describe("hookFormSchema (the console forms)", () => {
  const form = {
    name: "Form",
    events: ["User.Created"],
    config: { url: "https://hooks.example.com/", headers: [] as { key: string; value: string }[] },
  };

  it("reports header problems on the editor's row and drops blank rows", () => {
    const result = hookFormSchema(strict).safeParse({
      ...form,
      config: {
        ...form.config,
        headers: [
          { key: "X-A", value: "1" },
          { key: "", value: "" },
          { key: "x-a", value: "2" },
          { key: "Content-Type", value: "text/plain" },
        ],
      },
    });
    expect(fields(result)).toEqual([
      { path: "config.headers.2.key", message: '"x-a" is already set (header names ignore case).' },
      { path: "config.headers.3.key", message: `"Content-Type" is set by the webhook service and can't be overridden.` },
    ]);
    const ok = hookFormSchema(strict).parse({
      ...form,
      config: {
        ...form.config,
        headers: [
          { key: "X-A", value: "1" },
          { key: " ", value: " " },
        ],
      },
    });
    expect(ok.config.headers).toEqual([{ key: "X-A", value: "1" }]);
  });

  it("refuses a named header without a value, as Logto's console does; the API still takes one", () => {
    const headers = [{ key: "X-Empty", value: "  " }];
    expect(fields(hookFormSchema(strict).safeParse({ ...form, config: { ...form.config, headers } }))).toEqual([
      { path: "config.headers.0.value", message: "Value is required" },
    ]);
    const api = createHookSchema(strict).parse({ ...form, config: { ...form.config, headers } });
    expect(api.config.headers).toEqual([{ key: "X-Empty", value: "" }]);
  });

  it("follows the flag the server gives the browser", () => {
    const value = { ...form, config: { ...form.config, url: "http://localhost:3000/hook" } };
    expect(fields(hookFormSchema(strict).safeParse(value))).toEqual([{ path: "config.url", message: "Use an https:// URL." }]);
    expect(hookFormSchema(local).safeParse(value).success).toBe(true);
    expect(hookFormSchema(strict)).toBe(hookFormSchema(strict)); // built once per flag
  });

  it("shows Logto's message when no event is picked", () => {
    expect(fields(hookFormSchema(strict).safeParse({ ...form, events: [] }))).toEqual([
      { path: "events", message: "You have to select at least one event." },
    ]);
  });
});

describe("API input shapes", () => {
  it("keeps Logto's legacy `event` and `config.retries` apart from events, as given", () => {
    const parsed = createHookSchema(strict).parse({
      events: ["PostSignIn"],
      event: "PostRegister",
      config: { url: "https://a.example.com/", retries: 0 },
    });
    expect(parsed).toMatchObject({ name: "", events: ["PostSignIn"], event: "PostRegister", config: { retries: 0 } });
    expect(createHookSchema(strict).parse({ event: "PostRegister", config: { url: "https://a.example.com/" } })).toMatchObject({
      events: [],
      event: "PostRegister",
    });
    expect(updateHookSchema(strict).parse({ event: "PostSignIn" })).toEqual({ event: "PostSignIn" });
    expect(updateHookSchema(strict).parse({ event: null, name: " n " })).toEqual({ event: null, name: "n" });
    // Logto: `name` may be left out, but not given empty.
    expect(
      fields(createHookSchema(strict).safeParse({ name: "", events: ["PostSignIn"], config: { url: "https://a.example.com/" } })),
    ).toEqual([{ path: "name", message: "The name can't be empty; leave it out instead." }]);
  });

  it("subscribes by events, or by the legacy event only while events is empty (as Logto)", () => {
    expect(subscribedEvents({ events: ["User.Created"], event: "PostRegister" })).toEqual(["User.Created"]);
    expect(subscribedEvents({ events: [], event: "PostRegister" })).toEqual(["PostRegister"]);
    expect(subscribedEvents({ events: [], event: null })).toEqual([]);
  });
});

describe("hookOutput", () => {
  const stored: StoredHook = {
    id: "abc",
    name: "n",
    event: null,
    events: ["PostSignIn"],
    retries: null,
    url: "https://a.example.com/",
    headers: [
      { key: "B", value: "2" },
      { key: "A", value: "1" },
    ],
    signingKey: "k".repeat(32),
    enabled: true,
    createdAt: new Date(1_700_000_000_000),
    updatedAt: new Date(1_700_000_001_000),
    previousKeyExpiresAt: null,
  };

  it("derives the health state: failing, circuit open (with held count and next probe), auto-disabled", () => {
    const health = { consecutiveFailures: 3, failingSince: new Date(10), openedAt: null, nextProbeAt: null, lastError: "HTTP 502" };
    expect(hookOutput({ ...stored, health }).health).toMatchObject({
      state: "failing",
      since: 10,
      consecutiveFailures: 3,
      lastError: "HTTP 502",
      held: 0,
    });
    const open = { ...health, consecutiveFailures: 20, openedAt: new Date(20), nextProbeAt: new Date(30) };
    expect(hookOutput({ ...stored, health: open, heldCount: 7 }).health).toMatchObject({
      state: "circuit_open",
      since: 20,
      nextProbeAt: 30,
      held: 7,
    });
    const off = {
      ...stored,
      enabled: false,
      disabledReason: "Disabled automatically",
      disabledAt: new Date(40),
      health: open,
      heldCount: 7,
    };
    expect(hookOutput(off).health).toMatchObject({
      state: "auto_disabled",
      since: 40,
      nextProbeAt: null,
      held: 7,
      disabledReason: "Disabled automatically",
    });
    // Disabled by an admin (no reason): not auto-disabled; an open circuit still shows, without probes.
    expect(hookOutput({ ...off, disabledReason: null }).health).toMatchObject({ state: "circuit_open", nextProbeAt: null });
  });

  it("maps a stored hook to Logto's JSON", () => {
    expect(hookOutput(stored)).toEqual({
      tenantId: "default",
      id: "abc",
      name: "n",
      event: null,
      events: ["PostSignIn"],
      config: { url: "https://a.example.com/", headers: { B: "2", A: "1" } },
      signingKey: "k".repeat(32),
      enabled: true,
      createdAt: 1_700_000_000_000,
      previousKeyExpiresAt: null,
      health: { state: "healthy", since: null, lastError: null, consecutiveFailures: 0, nextProbeAt: null, held: 0, disabledReason: null },
    });
    expect(hookOutput(stored, { successCount: 1, requestCount: 2 }).executionStats).toEqual({ successCount: 1, requestCount: 2 });
    // The legacy fields come back as stored.
    expect(hookOutput({ ...stored, event: "PostRegister", events: [], retries: 2 })).toMatchObject({
      event: "PostRegister",
      events: [],
      config: { retries: 2 },
    });
  });

  it("reads malformed stored headers as none, and hides an expired previous key", () => {
    expect(hookOutput({ ...stored, headers: { not: "rows" } }).config.headers).toEqual({});
    const now = 1_800_000_000_000;
    expect(hookOutput({ ...stored, previousKeyExpiresAt: new Date(now - 1) }, undefined, now).previousKeyExpiresAt).toBeNull();
    expect(hookOutput({ ...stored, previousKeyExpiresAt: new Date(now + 1) }, undefined, now).previousKeyExpiresAt).toBe(now + 1);
  });
});
