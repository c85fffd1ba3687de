import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn } from "./support";

// Issue 3's console flow, end to end: create in the modal, list, settings (custom headers,
// signing key), disable / reactivate from the three-dots menu, delete.
test.describe.configure({ mode: "serial" });

const menuItem = (page: Page, name: string) => page.getByRole("menuitem", { name });
const dialog = (page: Page) => page.getByRole("dialog");
// Confirmations are alert dialogs (Radix AlertDialog).
const alertDialog = (page: Page) => page.getByRole("alertdialog");

test("manage a webhook in the console", async ({ page, baseURL, context }) => {
  test.setTimeout(120_000);
  if (!baseURL) throw new Error("baseURL is not configured");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  // auth.spec.ts creates the admin when the suite runs in order; setup here too keeps this file
  // runnable alone (it is refused once an admin exists, which is fine).
  await page.request.post("/api/auth/setup", { data: ADMIN, headers: { origin: baseURL } });
  await signIn(page, baseURL);

  const name = `Orders sync ${Date.now().toString(36)}`;
  const url = "http://localhost:4999/webhook"; // local endpoints are allowed on the e2e server
  const row = page.getByRole("row").filter({ hasText: name });
  let hookId = "";

  await test.step("create a webhook in the modal with events from two groups", async () => {
    await page.goto("/webhooks");
    await page.getByRole("button", { name: "Create webhook" }).click();
    const modal = dialog(page);
    await expect(modal).toBeVisible();
    await modal.getByRole("textbox", { name: "Name" }).fill(name);
    await modal.getByRole("textbox", { name: "Endpoint URL" }).fill(url);

    // No event picked: the shared schema's message, inline.
    await modal.getByRole("button", { name: "Create webhook" }).click();
    await expect(modal.getByText("You have to select at least one event.")).toBeVisible();

    await modal.getByRole("checkbox", { name: "User.Created", exact: true }).check();
    const selectAllUser = modal.getByRole("checkbox", { name: "Select all User events" });
    // One of four picked: the group's select-all is mixed.
    expect(await selectAllUser.evaluate((input: HTMLInputElement) => input.indeterminate)).toBe(true);
    await modal.getByRole("checkbox", { name: "Organization.Membership.Updated", exact: true }).check();
    await expect(modal.getByText("You have to select at least one event.")).toBeHidden();

    await modal.getByRole("button", { name: "Create webhook" }).click();
    await expect(page).toHaveURL(/\/webhooks\/[0-9a-z]{21}\/settings$/);
    hookId = /\/webhooks\/([0-9a-z]{21})\//.exec(page.url())?.[1] ?? "";
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByTestId("webhook-status")).toHaveText("Active");
    await expect(page.getByText("0 requests in 24h")).toBeVisible();
  });

  await test.step("see it in the list and open it", async () => {
    await page.getByRole("link", { name: "Back to webhooks" }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(row).toBeVisible();
    await expect(row).toContainText("User.Created, Organization.Membership.Updated");
    await expect(row.getByRole("cell").nth(2)).toHaveText("-"); // no requests yet
    await row.getByRole("cell").nth(1).click();
    await expect(page).toHaveURL(new RegExp(`/webhooks/${hookId}/settings$`));
    await expect(page.getByRole("navigation", { name: "Webhook sections" }).getByRole("link", { name: "Settings" })).toHaveAttribute(
      "aria-current",
      "page",
    );
  });

  await test.step("add a custom header; an invalid name is rejected inline", async () => {
    await page.getByRole("button", { name: "Add header" }).click();
    const headerName = page.getByRole("textbox", { name: "Header 1 name" });
    await expect(headerName).toBeFocused();
    await headerName.fill("bad header");
    await page.getByRole("textbox", { name: "Header 1 value" }).fill("secret-token");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(headerName).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("without spaces")).toBeVisible();

    // Leaving with unsaved edits asks first.
    await page.getByRole("link", { name: "Back to webhooks" }).click();
    await expect(alertDialog(page).getByRole("heading", { name: "Discard unsaved changes?" })).toBeVisible();
    await alertDialog(page).getByRole("button", { name: "Stay" }).click();
    await expect(page).toHaveURL(new RegExp(`/webhooks/${hookId}/settings$`));

    await headerName.fill("X-Api-Token");
    await expect(headerName).not.toHaveAttribute("aria-invalid", "true");
    // An empty row is dropped on save.
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Webhook saved.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save changes" })).toBeHidden();

    await page.reload();
    await expect(page.getByRole("textbox", { name: "Header 1 name" })).toHaveValue("X-Api-Token");
    await expect(page.getByRole("textbox", { name: "Header 1 value" })).toHaveValue("secret-token");
    await expect(page.getByRole("textbox", { name: "Header 2 name" })).toHaveCount(0);
  });

  await test.step("send a test payload: one result per selected event, inline", async () => {
    // Nothing listens on the endpoint, so each event reports its connection error.
    await page.getByRole("button", { name: "Send test payload" }).click();
    const results = page.getByRole("list", { name: "Test results" }).getByRole("listitem");
    await expect(results).toHaveCount(2);
    await expect(results.nth(0)).toContainText("User.Created");
    await expect(results.nth(1)).toContainText("Organization.Membership.Updated");
  });

  await test.step("reveal, copy and regenerate the signing key", async () => {
    const key = page.getByTestId("signing-key");
    await expect(key).toHaveText(/^•{32}$/);
    await page.getByRole("button", { name: "Reveal signing key" }).click();
    await expect(key).toHaveText(/^[0-9A-Za-z]{32}$/);
    const original = (await key.textContent()) ?? "";

    await page.getByRole("button", { name: "Copy signing key" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Copied" })).toHaveCount(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(original);

    await page.getByRole("button", { name: "Regenerate", exact: true }).click();
    const confirm = alertDialog(page);
    await expect(confirm).toContainText("must update");
    await confirm.getByLabel("Keep the old key valid for").selectOption("24");
    await confirm.getByRole("button", { name: "Regenerate key" }).click();
    await expect(confirm).toBeHidden();
    await expect(key).toHaveText(/^[0-9A-Za-z]{32}$/);
    await expect(key).not.toHaveText(original);
    await expect(page.getByText("The previous key is also accepted until")).toBeVisible();

    await page.getByRole("button", { name: "Hide signing key" }).click();
    await expect(key).toHaveText(/^•{32}$/);
  });

  await test.step("disable from the three-dots menu: Not in use in the header and the list", async () => {
    await page.getByRole("button", { name: "More options" }).click();
    await menuItem(page, "Disable webhook").click();
    await alertDialog(page).getByRole("button", { name: "Disable webhook" }).click();
    await expect(page.getByTestId("webhook-status")).toHaveText("Not in use");

    await page.getByRole("link", { name: "Back to webhooks" }).click();
    await expect(row).toContainText("Not in use");
    await row.getByRole("link", { name }).click();
  });

  await test.step("reactivate", async () => {
    await page.getByRole("button", { name: "More options" }).click();
    await menuItem(page, "Reactivate webhook").click();
    await expect(page.getByTestId("webhook-status")).toHaveText("Active");
    await page.getByRole("link", { name: "Back to webhooks" }).click();
    await expect(row).not.toContainText("Not in use");
    await row.getByRole("link", { name }).click();
  });

  await test.step("delete with confirmation", async () => {
    await page.getByRole("button", { name: "More options" }).click();
    await menuItem(page, "Delete webhook").click();
    const confirm = alertDialog(page);
    await expect(confirm).toContainText("cannot be undone");
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(row).toHaveCount(0);
    const response = await page.request.get(`/api/hooks/${hookId}`);
    expect(response.status()).toBe(404);
  });
});
