// The server actions' wrapper against a real PostgreSQL: who may call, the same-origin rule, and
// the error envelope with the statuses the route handlers answer. Also: every exported console
// action goes through it.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ctx, db } from "@/lib/testing/context";
import { parseOrThrow } from "@/lib/errors";
import { createHookSchema } from "@/lib/hooks/schemas";
import { createHook, serverSchemaOptions } from "@/lib/hooks/service";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { TEST_ORIGIN } from "@/lib/testing/http";
import { resetDatabase } from "@/lib/testing/reset";
import { runAdminAction } from "./action";

const create = (body: unknown) => () => createHook(ctx, parseOrThrow(createHookSchema(serverSchemaOptions(ctx)), body));
const valid = { name: "Order sync", events: ["User.Created"], config: { url: "https://hooks.example.com/logto" } };

function browserHeaders(init: { session?: string; apiKey?: string; origin?: string | null; fetchSite?: string }) {
  const headers = new Headers({ host: new URL(TEST_ORIGIN).host });
  if (init.session) headers.set("cookie", `wc_session=${init.session}`);
  if (init.apiKey) headers.set("authorization", `Bearer ${init.apiKey}`);
  if (init.origin !== null) headers.set("origin", init.origin ?? TEST_ORIGIN);
  if (init.fetchSite) headers.set("sec-fetch-site", init.fetchSite);
  return headers;
}

let session: string;
let apiKey: string;

beforeEach(async () => {
  await resetDatabase();
  ({ session, apiKey } = await signedInAdmin());
});

describe("runAdminAction", () => {
  it("runs the service for a signed-in admin on the same origin", async () => {
    const result = await runAdminAction(browserHeaders({ session }), { body: valid }, create(valid));
    expect(result.ok).toBe(true);
    expect(await db.hook.count()).toBe(1);
  });

  it("refuses anonymous callers and API keys with 401, running nothing", async () => {
    for (const headers of [browserHeaders({}), browserHeaders({ apiKey }), browserHeaders({ session: "not-a-session" })]) {
      const result = await runAdminAction(headers, { body: valid }, create(valid));
      expect(result).toMatchObject({ ok: false, status: 401, error: { code: "unauthorized" } });
    }
    expect(await db.hook.count()).toBe(0);
  });

  it("refuses another origin and cross-site requests with 403", async () => {
    for (const headers of [
      browserHeaders({ session, origin: "https://evil.example" }),
      browserHeaders({ session, origin: "http://console.test:8080" }),
      browserHeaders({ session, origin: null, fetchSite: "cross-site" }),
      browserHeaders({ session, origin: null }),
    ]) {
      const result = await runAdminAction(headers, { body: valid }, create(valid));
      expect(result).toMatchObject({ ok: false, status: 403, error: { code: "forbidden" } });
    }
    expect(await db.hook.count()).toBe(0);
  });

  it("answers the service's validation errors as the envelope, with field paths", async () => {
    // `name` may be empty (Logto's hook name is optional); `events` and the URL may not.
    const body = { ...valid, events: [], config: { url: "ftp://x" } };
    const result = await runAdminAction(browserHeaders({ session }), { body }, create(body));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.error.code).toBe("validation_failed");
    expect(result.error.fields?.map((field) => field.path)).toEqual(expect.arrayContaining(["events", "config.url"]));
  });

  it("refuses ids and bodies no row can hold as the routes do (404, 400)", async () => {
    const badId = await runAdminAction(browserHeaders({ session }), { ids: ["a\u0000b"] }, () => Promise.resolve("ran"));
    expect(badId).toMatchObject({ ok: false, status: 404, error: { code: "not_found" } });
    const badBody = await runAdminAction(browserHeaders({ session }), { body: { name: "x\u0000" } }, () => Promise.resolve("ran"));
    expect(badBody).toMatchObject({ ok: false, status: 400 });
  });

  it("never leaks an unknown error's message", async () => {
    const result = await runAdminAction(browserHeaders({ session }), {}, () => Promise.reject(new Error("secret detail")));
    expect(result).toMatchObject({ ok: false, status: 500, error: { code: "internal_error" } });
    expect(JSON.stringify(result)).not.toContain("secret detail");
  });
});

describe("console server actions", () => {
  const files = ["hooks", "deliveries", "api-keys"].map((feature) => path.join(import.meta.dirname, "..", feature, "actions.ts"));

  it("each exported action is one call of the wrapper", () => {
    for (const file of files) {
      const source = readFileSync(file, "utf8");
      expect(source.startsWith('"use server";')).toBe(true);
      const exports = [...source.matchAll(/export async function (\w+)\([^)]*\) \{\n([\s\S]*?)\n\}/g)];
      expect(exports.length).toBeGreaterThan(0);
      for (const [, name, body] of exports)
        expect({ name, body: body?.trim().startsWith("return adminAction(") }).toEqual({ name, body: true });
      // Nothing else is exported from an action file (Next would expose it as an endpoint).
      expect(source.match(/^export /gm)?.length).toBe(exports.length);
    }
  });

  it("no other file declares server actions", () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && readFileSync(full, "utf8").includes('"use server"')) found.push(full);
      }
    };
    for (const dir of ["lib", "app", "components"]) walk(path.join(import.meta.dirname, "..", "..", dir));
    expect(found.filter((file) => !file.endsWith("action.test.ts")).sort()).toEqual([...files].sort());
  });
});
