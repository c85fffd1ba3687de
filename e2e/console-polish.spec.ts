import http from "node:http";
import { expect, test } from "@playwright/test";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { createdApiKeySchema } from "@/lib/api-keys/schemas";
import { sparklineMapSchema } from "@/lib/deliveries/schemas";
import { ADMIN, listen, signIn, bodyOf } from "./support";

// Issue 13's polish items a browser can see: the create modal fits a laptop screen and keeps long
// event names inside their groups on a phone; the list's sparkline has a real tooltip (the hovered
// hour, the right one) and is no tab stop; a sidebar link's page takes focus on its heading.
// 24-hour times, so the tooltip's hours are read without AM/PM.
test.use({ locale: "en-GB" });

test.beforeEach(async ({ page, baseURL }) => {
  if (!baseURL) throw new Error("baseURL is not configured");
  // auth.spec.ts creates the admin when the suite runs in order; this keeps the file runnable alone.
  await page.request.post("/api/auth/setup", { data: ADMIN, headers: { origin: baseURL } });
  await signIn(page, baseURL);
});

test("the create modal fits 1440x900 without scrolling; event names stay inside their groups at 390 px", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/webhooks/create");
  const modal = page.getByRole("dialog", { name: "Create webhook" });
  await expect(modal).toBeVisible();
  const box = await modal.boundingBox();
  expect(box && box.y + box.height).toBeLessThanOrEqual(900);
  await expect(modal.getByRole("button", { name: "Create webhook" })).toBeInViewport({ ratio: 1 });
  // The overlay (the dialog's scroll container) has nothing to scroll.
  expect(
    await modal.evaluate((element) =>
      element.parentElement ? element.parentElement.scrollHeight - element.parentElement.clientHeight : 0,
    ),
  ).toBeLessThanOrEqual(0);
  // The events scroll inside their own area, and the keyboard reaches the last one there.
  const last = modal.getByRole("checkbox", { name: "Grant.LimitExceeded", exact: true });
  await last.focus();
  await expect(last).toBeInViewport();
  // The subtitle names the fields in the order they appear: name, endpoint, events.
  const describedBy = (await modal.getAttribute("aria-describedby")) ?? "";
  const subtitle = (await page.locator(`[id="${describedBy}"]`).textContent()) ?? "";
  const order = ["Name", "endpoint", "events"].map((word) => subtitle.indexOf(word));
  expect(order.every((index) => index >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);

  await page.setViewportSize({ width: 390, height: 844 });
  const overflowing = await modal.getByRole("group").evaluateAll((groups) =>
    groups.flatMap((group) => {
      const edge = group.getBoundingClientRect().right;
      return [...group.querySelectorAll("code")]
        .filter((code) => code.getBoundingClientRect().right > edge - 1)
        .map((code) => code.textContent);
    }),
  );
  expect(overflowing).toEqual([]);
});

test("the sparkline: a tooltip with the hovered hour, no tab stop of its own", async ({ page, baseURL }) => {
  const origin = { origin: baseURL ?? "" };
  const receiver = await listen(http.createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end("ok"))));
  const name = `Sparkline ${Date.now().toString(36)}`;
  const created = await page.request.post("/api/hooks", {
    data: { name, events: ["User.Created"], config: { url: receiver.url } },
    headers: origin,
  });
  expect(created.status()).toBe(201);
  const { id } = await bodyOf(created, hookOutputSchema);
  const keyRes = await page.request.post("/api/api-keys", { data: { name: "e2e sparkline", scope: "ingest" }, headers: origin });
  const { key } = await bodyOf(keyRes, createdApiKeySchema);
  try {
    for (let n = 0; n < 3; n += 1) {
      const sent = await page.request.post("/api/events", {
        data: { event: "User.Created", data: { n } },
        headers: { authorization: `Bearer ${key}` },
      });
      expect(sent.status()).toBe(202);
    }
    await expect
      .poll(async () => {
        const res = await page.request.get(`/api/stats/sparklines?ids=${id}`);
        return (await bodyOf(res, sparklineMapSchema))[id]?.totals.successCount;
      })
      .toBe(3);

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/webhooks");
    const row = page.getByRole("row").filter({ hasText: name });
    const sparkline = row.getByTestId("sparkline");
    await expect(sparkline).toHaveAttribute("aria-label", "3 requests in the last 24 hours, 0 failed");
    // One tab stop per row, the name's link: the row itself is none (Enter on the link opens it).
    expect(await row.getAttribute("tabindex")).toBeNull();
    // A picture, not a widget: nothing in it takes focus, and no browser title text either.
    expect(
      await sparkline.evaluate(
        (element) => element.querySelectorAll("[tabindex], a, button, title").length + (element.hasAttribute("tabindex") ? 1 : 0),
      ),
    ).toBe(0);

    // The last bar is the hour that ends now.
    const box = await sparkline.boundingBox();
    if (!box) throw new Error("no sparkline box");
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    const tooltip = page.getByRole("tooltip");
    await expect(tooltip).toContainText("3 requests");
    const text = (await tooltip.textContent()) ?? "";
    const [start, end] = [...text.matchAll(/(\d{2}):(\d{2})/g)].map((match) => Number(match[1]) * 60 + Number(match[2]));
    const now = await page.evaluate(() => new Date().getHours() * 60 + new Date().getMinutes());
    if (start === undefined || end === undefined) throw new Error(`no hours in "${text}"`);
    // The bucket is an hour long and holds the current minute (within the minute the data is old).
    expect((end - start + 1440) % 1440).toBe(60);
    expect((now - start + 1440) % 1440).toBeLessThanOrEqual(61);
    // The first bar is 24 hours ago, with no requests.
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await expect(tooltip).toContainText("0 requests");
    await page.mouse.move(0, 0);
    await expect(tooltip).toHaveCount(0);
  } finally {
    await page.request.delete(`/api/hooks/${id}`, { headers: origin });
    await receiver.close();
  }
});

test("a sidebar link moves focus to the new page's heading, by mouse and by keyboard", async ({ page }) => {
  await page.goto("/webhooks");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/api-keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeFocused();

  await nav.getByRole("link", { name: "Overview" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeFocused();
});

test("a webhook at 390 px: the signing key shows whole, an empty request log has no headings over its empty state", async ({
  page,
  baseURL,
}) => {
  const origin = { origin: baseURL ?? "" };
  const created = await page.request.post("/api/hooks", {
    data: { name: `Phone ${Date.now().toString(36)}`, events: ["User.Created"], config: { url: "http://127.0.0.1:9/hook" } },
    headers: origin,
  });
  const { id } = await bodyOf(created, hookOutputSchema);
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/webhooks/${id}/settings`);
    const key = page.getByTestId("signing-key");
    await expect(key).toHaveText(/^•{32}$/);
    // Not cut to "••…": Regenerate wraps under the key instead of squeezing it.
    expect(await key.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);

    await page.goto(`/webhooks/${id}/recent-requests`);
    const requests = page.getByRole("region", { name: "Requests", exact: true });
    await expect(requests.getByText("No requests in the last 24 hours")).toBeVisible();
    await expect(requests.getByRole("columnheader")).toHaveCount(0);
  } finally {
    await page.request.delete(`/api/hooks/${id}`, { headers: origin });
  }
});

test("every script the webhooks list loads with its HTML carries V8's compile hint (compiled off the main thread)", async ({ page }) => {
  // Mobile Lighthouse, issue 13: without it, compiling Next's and React's modules on the main
  // thread was most of the first load's longest task (scripts/lib/compile-hints.ts).
  const html = await (await page.request.get("/webhooks")).text();
  const scripts = [...html.matchAll(/<script([^>]*)\ssrc="([^"]+\.js)"([^>]*)>/g)]
    // The polyfills load only in browsers without modules (noModule): not this one.
    .filter(([, before = "", , after = ""]) => !/nomodule/i.test(before + after))
    .map(([, , src = ""]) => src);
  expect(scripts.length).toBeGreaterThan(3);
  const unhinted: string[] = [];
  for (const src of scripts) {
    const code = await (await page.request.get(src)).text();
    if (!code.startsWith("//# allFunctionsCalledOnLoad\n")) unhinted.push(src);
  }
  expect(unhinted).toEqual([]);
});

test("the toasts' stylesheet is not in the first paint; it arrives with the toaster", async ({ page }) => {
  const html = await (await page.request.get("/webhooks")).text();
  const sheets = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+\.css)"/g)].map(([, href = ""]) => href);
  expect(sheets.length).toBeGreaterThan(0);
  for (const href of sheets) expect(await (await page.request.get(href)).text()).not.toContain("[data-sonner-toaster]");
});

test("the webhooks list arrives whole and is still once loaded; its first load ships no query cache", async ({ page, baseURL }) => {
  // Mobile Lighthouse, issue 13: rows streamed in behind a pulsing skeleton (and a blurred header)
  // kept the browser compositing a frame every 16 ms through the first load, on the CPU the page's
  // script needed; the list renders on the server, so TanStack Query's code had nothing to do there.
  const origin = { origin: baseURL ?? "" };
  const name = `Whole ${Date.now().toString(36)}`;
  const created = await page.request.post("/api/hooks", {
    data: { name, events: ["User.Created"], config: { url: "http://127.0.0.1:9/hook" } },
    headers: origin,
  });
  const { id } = await bodyOf(created, hookOutputSchema);
  try {
    const html = await (await page.request.get("/webhooks")).text();
    // The row's link is in the HTML as it arrives (not in a hidden part streamed in later), with no skeleton.
    const visibleHtml = html.replace(/<div hidden id="S:[^"]*">[\s\S]*$/, "");
    expect(visibleHtml).toContain(`>${name}</a>`);
    expect(html).not.toContain("animate-pulse");
    const scripts = [...html.matchAll(/<script([^>]*)\ssrc="([^"]+\.js)"([^>]*)>/g)]
      .filter(([, before = "", , after = ""]) => !/nomodule/i.test(before + after))
      .map(([, , src = ""]) => src);
    expect(scripts.length).toBeGreaterThan(3);
    for (const src of scripts) expect(await (await page.request.get(src)).text(), src).not.toContain("No QueryClient set");

    await page.goto("/webhooks");
    await expect(page.getByRole("link", { name })).toBeVisible();
    expect(await page.evaluate(() => document.getAnimations().map((animation) => animation.constructor.name))).toEqual([]);
    expect(
      await page
        .locator("header")
        .first()
        .evaluate((element) => getComputedStyle(element).backdropFilter),
    ).toBe("none");
  } finally {
    await page.request.delete(`/api/hooks/${id}`, { headers: origin });
  }
});

test("the webhooks list pages past 20 webhooks (its pager loads with the page that needs it)", async ({ page, baseURL }) => {
  const origin = { origin: baseURL ?? "" };
  const prefix = `Pager ${Date.now().toString(36)}`;
  const ids: string[] = [];
  try {
    for (let n = 0; n < 21; n += 1) {
      const created = await page.request.post("/api/hooks", {
        data: { name: `${prefix} ${n}`, events: ["User.Created"], config: { url: "http://127.0.0.1:9/hook" } },
        headers: origin,
      });
      ids.push((await bodyOf(created, hookOutputSchema)).id);
    }
    await page.goto("/webhooks");
    const pager = page.getByRole("navigation", { name: "Pagination" });
    await expect(pager).toContainText(/Showing 1–20 of \d+/);
    await pager.getByRole("button", { name: "Next page" }).click();
    await expect(page).toHaveURL(/\/webhooks\?page=2$/);
    await expect(pager).toContainText(/Showing 21–\d+ of \d+/);
    await expect(page.getByRole("table", { name: "Webhooks" }).getByRole("row")).not.toHaveCount(0);
  } finally {
    for (const id of ids) await page.request.delete(`/api/hooks/${id}`, { headers: origin });
  }
});
