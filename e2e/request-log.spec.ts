import http from "node:http";
import { expect, test } from "@playwright/test";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { createdApiKeySchema } from "@/lib/api-keys/schemas";
import { deliveryPageSchema } from "@/lib/deliveries/schemas";
import { ADMIN, listen, signIn, bodyOf } from "./support";

// Issue 13's request log and focus handling: numbered pages with a total (as Logto's), the
// searchable event filter, request details on their own deep-linkable page with "Back to
// {webhook}", focus on the new page's heading after a route change, focus back on the trigger
// when a dialog opened from a menu closes.
test.describe.configure({ mode: "serial" });

async function startReceiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  return listen(server);
}

test("request log: page numbers, searchable event filter, details page, focus", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  if (!baseURL) throw new Error("baseURL is not configured");
  const origin = { origin: baseURL };
  const receiver = await startReceiver();
  await page.request.post("/api/auth/setup", { data: ADMIN, headers: origin }); // refused once the admin exists
  await signIn(page, baseURL);
  const name = `Paged log ${Date.now().toString(36)}`;
  const created = await page.request.post("/api/hooks", {
    data: { name, events: ["User.Created", "Role.Created"], config: { url: receiver.url } },
    headers: origin,
  });
  expect(created.status()).toBe(201);
  const hookId = (await bodyOf(created, hookOutputSchema)).id;
  const keyRes = await page.request.post("/api/api-keys", { data: { name: "e2e paging" }, headers: origin });
  const { key } = await bodyOf(keyRes, createdApiKeySchema);

  try {
    // 27 requests: 24 User.Created, then 3 Role.Created (the newest).
    for (const [index, event] of [...Array<string>(24).fill("User.Created"), ...Array<string>(3).fill("Role.Created")].entries()) {
      const res = await page.request.post("/api/events", {
        data: { event, data: { n: index } },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status()).toBe(202);
    }
    await expect
      .poll(
        async () => {
          const res = await page.request.get(`/api/hooks/${hookId}/deliveries?page=1&limit=100`);
          const body = await bodyOf(res, deliveryPageSchema);
          return body.items.filter((item) => item.status === "succeeded").length;
        },
        { timeout: 60_000 },
      )
      .toBe(27);

    const table = page.getByRole("table", { name: "Recent requests" });
    const bodyRows = table.locator("tbody tr");
    const pages = page.getByRole("navigation", { name: "Recent requests pages" });

    await test.step("numbered pages with the total", async () => {
      await page.goto(`/webhooks/${hookId}/recent-requests`);
      // The first open of a webhook on a loaded machine can take a while.
      await expect(pages).toContainText("Showing 1–25 of 27", { timeout: 30_000 });
      await expect(bodyRows).toHaveCount(25);
      await expect(pages.getByRole("button", { name: "Page 1" })).toHaveAttribute("aria-current", "page");
      await pages.getByRole("button", { name: "Page 2" }).click();
      await expect(page).toHaveURL(/[?&]page=2/);
      await expect(pages).toContainText("Showing 26–27 of 27");
      await expect(bodyRows).toHaveCount(2);
      // The oldest two are User.Created.
      await expect(bodyRows.filter({ hasText: "User.Created" })).toHaveCount(2);
    });

    await test.step("a request opens on its own page, focus on its heading, one way back to the same page", async () => {
      await bodyRows.first().click();
      await expect(page).toHaveURL(new RegExp(`/webhooks/${hookId}/recent-requests/[0-9a-f-]{36}\\?page=2$`));
      const heading = page.getByRole("heading", { level: 1 });
      await expect(heading).toContainText("User.Created");
      await expect(heading).toBeFocused();
      // Its own page: not under the webhook's header and tabs.
      await expect(page.getByRole("tablist")).toHaveCount(0);
      await expect(page.getByRole("link", { name: /^Back to/ })).toHaveCount(1);
      const detailsUrl = page.url();

      await page.getByRole("link", { name: `Back to ${name}` }).click();
      await expect(page).toHaveURL(/recent-requests\?page=2$/);
      await expect(bodyRows).toHaveCount(2);

      // Deep link: the details page opens by itself in a fresh tab.
      const other = await page.context().newPage();
      await other.goto(detailsUrl);
      await expect(other.getByRole("heading", { level: 1 })).toContainText("User.Created");
      await expect(other.getByTestId("delivery-id")).toHaveText(detailsUrl.split("/").pop()?.split("?")[0] ?? "");
      await other.close();
    });

    await test.step("the event filter is searchable and starts again at page 1", async () => {
      await page.getByRole("button", { name: /^Event/ }).click();
      await page.getByRole("combobox", { name: "Search events" }).fill("role");
      await expect(page.getByRole("option", { name: "User.Created", exact: true })).toHaveCount(0);
      await page.getByRole("option", { name: "Role.Created", exact: true }).click();
      await expect(page).toHaveURL(/event=Role\.Created/);
      await expect(page).not.toHaveURL(/page=/);
      await expect(bodyRows).toHaveCount(3);
      await expect(pages).toHaveCount(0);
      await page.getByRole("button", { name: "Clear event" }).click();
      await expect(bodyRows).toHaveCount(25);
    });

    await test.step("a dialog opened from the menu gives focus back to the menu's button", async () => {
      await page.goto(`/webhooks/${hookId}/settings`);
      const more = page.getByRole("button", { name: "More options" });
      await more.focus();
      await page.keyboard.press("Enter");
      await page.getByRole("menuitem", { name: "Disable webhook" }).click();
      await expect(page.getByRole("alertdialog", { name: "Disable webhook" })).toBeVisible();
      await page.keyboard.press("Escape");
      await expect(page.getByRole("alertdialog")).toHaveCount(0);
      await expect(more).toBeFocused();
    });

    await test.step("after creating a webhook, focus is on the new webhook's heading", async () => {
      await page.goto("/webhooks/create");
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("textbox", { name: "Name" }).fill(`${name} copy`);
      await dialog.getByRole("textbox", { name: "Endpoint URL" }).fill(receiver.url);
      await dialog.getByRole("checkbox", { name: "User.Created", exact: true }).check();
      await dialog.getByRole("button", { name: "Create webhook" }).click();
      const heading = page.getByRole("heading", { level: 1, name: `${name} copy` });
      await expect(heading).toBeVisible();
      await expect(heading).toBeFocused();
      const copyId = page.url().match(/\/webhooks\/([0-9a-z]+)/)?.[1];
      if (copyId) await page.request.delete(`/api/hooks/${copyId}`, { headers: origin });
    });
  } finally {
    await page.request.delete(`/api/hooks/${hookId}`, { headers: origin });
    await receiver.close();
  }
});
