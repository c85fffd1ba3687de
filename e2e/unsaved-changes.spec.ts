import { expect, test, type Page } from "@playwright/test";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { ADMIN, signIn, bodyOf } from "./support";

// The unsaved-changes guard on a webhook's Settings tab covers browser Back/Forward too: with
// edits they ask in the same dialog as links (Stay keeps the edits and the address, Leave page
// completes the traversal); with a clean form they traverse at once and leave no history behind.
test.describe.configure({ mode: "serial" });

const dialog = (page: Page) => page.getByRole("alertdialog");
/** Back (-1) or Forward (1) the way the browser's buttons do it (a user-initiated traversal, which
 *  history.back() is not), without waiting for a navigation as page.goBack() does: a guarded
 *  traversal never makes one. (Chromium also ignores a second scripted history.forward() after a
 *  cancelled one, which the buttons do not.) */
async function traverse(page: Page, delta: -1 | 1) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { currentIndex, entries } = await cdp.send("Page.getNavigationHistory");
    const entry = entries[currentIndex + delta];
    if (!entry) throw new Error(`no history entry at ${currentIndex + delta}`);
    await cdp.send("Page.navigateToHistoryEntry", { entryId: entry.id });
  } finally {
    await cdp.detach();
  }
}
const back = (page: Page) => traverse(page, -1);
const forward = (page: Page) => traverse(page, 1);
const historyLength = (page: Page) => page.evaluate(() => history.length);

test("Back and Forward ask before discarding unsaved edits", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  if (!baseURL) throw new Error("baseURL is not configured");
  const origin = { origin: baseURL };
  await page.request.post("/api/auth/setup", { data: ADMIN, headers: origin }); // refused once the admin exists
  await signIn(page, baseURL);

  const name = `History guard ${Date.now().toString(36)}`;
  const created = await page.request.post("/api/hooks", {
    data: { name, events: ["User.Created"], config: { url: "http://localhost:4999/webhook" } },
    headers: origin,
  });
  expect(created.status()).toBe(201);
  const hookId = (await bodyOf(created, hookOutputSchema)).id;
  const settingsUrl = new RegExp(`/webhooks/${hookId}/settings$`);
  const recentUrl = new RegExp(`/webhooks/${hookId}/recent-requests$`);
  const listHeading = page.getByRole("heading", { level: 1, name: "Webhooks" });
  const nameBox = page.getByRole("textbox", { name: "Name" });
  const discardHeading = dialog(page).getByRole("heading", { name: "Discard unsaved changes?" });

  try {
    await test.step("clean form: Back and Forward traverse at once", async () => {
      await page.goto("/webhooks");
      await page.getByRole("row").filter({ hasText: name }).getByRole("link", { name }).click();
      await expect(page).toHaveURL(settingsUrl);
      await expect(nameBox).toHaveValue(name);

      await back(page);
      await expect(page).toHaveURL(/\/webhooks$/);
      await expect(listHeading).toBeVisible();
      await forward(page);
      await expect(page).toHaveURL(settingsUrl);
      await expect(nameBox).toHaveValue(name);
      await expect(dialog(page)).toHaveCount(0);
    });

    await test.step("with an edit, Back asks; Stay keeps the edit, the address and the history", async () => {
      const entries = await historyLength(page);
      await nameBox.fill(`${name} edited`);
      await back(page);
      await expect(discardHeading).toBeVisible();
      await dialog(page).getByRole("button", { name: "Stay" }).click();
      await expect(dialog(page)).toBeHidden();
      await expect(page).toHaveURL(settingsUrl);
      await expect(nameBox).toHaveValue(`${name} edited`);
      expect(await historyLength(page)).toBe(entries);
    });

    await test.step("Back again and Leave page: the previous page, without the edit", async () => {
      await back(page);
      await expect(discardHeading).toBeVisible();
      await dialog(page).getByRole("button", { name: "Leave page" }).click();
      await expect(page).toHaveURL(/\/webhooks$/);
      await expect(listHeading).toBeVisible();
      await expect(page.getByRole("row").filter({ hasText: name })).not.toContainText("edited");
    });

    await test.step("Forward after leaving: the settings again, as saved", async () => {
      await forward(page);
      await expect(page).toHaveURL(settingsUrl);
      await expect(nameBox).toHaveValue(name);
      await expect(dialog(page)).toHaveCount(0);
    });

    await test.step("switching tabs with an edit asks too", async () => {
      await nameBox.fill(`${name} edited`);
      await page.getByRole("navigation", { name: "Webhook sections" }).getByRole("link", { name: "Recent requests (24h)" }).click();
      await expect(discardHeading).toBeVisible();
      await dialog(page).getByRole("button", { name: "Stay" }).click();
      await expect(page).toHaveURL(settingsUrl);
      await expect(nameBox).toHaveValue(`${name} edited`);
      // Undo the edit: a clean form switches tabs without asking.
      await nameBox.fill(name);
      await page.getByRole("navigation", { name: "Webhook sections" }).getByRole("link", { name: "Recent requests (24h)" }).click();
      await expect(page).toHaveURL(recentUrl);
      await expect(dialog(page)).toHaveCount(0);
    });

    await test.step("with an edit, Forward asks; Leave page goes forward", async () => {
      await back(page);
      await expect(page).toHaveURL(settingsUrl);
      await expect(nameBox).toHaveValue(name);
      await nameBox.fill(`${name} edited`);

      await forward(page);
      await expect(discardHeading).toBeVisible();
      await dialog(page).getByRole("button", { name: "Stay" }).click();
      await expect(page).toHaveURL(settingsUrl);
      await expect(nameBox).toHaveValue(`${name} edited`);

      await forward(page);
      await expect(discardHeading).toBeVisible();
      await dialog(page).getByRole("button", { name: "Leave page" }).click();
      await expect(page).toHaveURL(recentUrl);
      await expect(
        page.getByRole("navigation", { name: "Webhook sections" }).getByRole("link", { name: "Recent requests (24h)" }),
      ).toHaveAttribute("aria-current", "page");
    });
  } finally {
    await page.request.delete(`/api/hooks/${hookId}`, { headers: origin });
  }
});
