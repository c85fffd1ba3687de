import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";

/** The admin created by auth.spec.ts, used by every later spec. */
export const ADMIN = { email: "admin@example.com", password: "correct horse battery" };

/** Signs the page's browser context in through the API (sets the session cookie). */
export async function signIn(page: Page, baseURL: string) {
  const res = await page.request.post("/api/auth/sign-in", { data: ADMIN, headers: { origin: baseURL } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
}

/** Starts a local receiver on 127.0.0.1: its URL (path /hook) and a close that ends open connections. */
export async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
