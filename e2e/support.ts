import type { Page } from "@playwright/test";

/** The admin created by auth.spec.ts, used by every later spec. */
export const ADMIN = { email: "admin@example.com", password: "correct horse battery" };

/** Signs the page's browser context in through the API (sets the session cookie). */
export async function signIn(page: Page, baseURL: string) {
  const res = await page.request.post("/api/auth/sign-in", { data: ADMIN, headers: { origin: baseURL } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
}
