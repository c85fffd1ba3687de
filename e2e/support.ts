import type { Server } from "node:http";
import type { APIResponse, Page } from "@playwright/test";
import type { z } from "zod";
import { portOf } from "@/lib/testing/ports";

export { portOf };

/** The admin created by auth.spec.ts, used by every later spec. */
export const ADMIN = { email: "admin@example.com", password: "correct horse battery" };

/**
 * Signs the page's browser context in through the API (sets the session cookie). Creates the admin
 * first when the server has none: npm test runs the specs in shards, each on its own server and
 * database, and auth.spec.ts (which creates it through the UI) runs in one of them only.
 */
export async function signIn(page: Page, baseURL: string) {
  await page.request.post("/api/auth/setup", { data: ADMIN, headers: { origin: baseURL } }); // refused once the admin exists
  const res = await page.request.post("/api/auth/sign-in", { data: ADMIN, headers: { origin: baseURL } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
}

/** Starts a local receiver on 127.0.0.1: its URL (path /hook) and a close that ends open connections. */
export async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${portOf(server)}/hook`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A response's JSON body read by its contract (a zod schema from the feature's schemas.ts): typed
 * without casts, and checked at run time, so a spec fails on a body outside the contract.
 */
export async function bodyOf<S extends z.ZodType>(res: APIResponse, schema: S): Promise<z.output<S>> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new Error(`${res.url()} answered ${res.status()} with a body outside its contract: ${text.slice(0, 500)}\n${parsed.error.message}`);
}
