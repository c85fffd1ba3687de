import http from "node:http";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { createdApiKeySchema } from "@/lib/api-keys/schemas";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { logtoHookLogSchema } from "@/lib/deliveries/schemas";
import { z } from "zod";
import { ADMIN, signIn, bodyOf, portOf } from "./support";

// Issue 11 item 3: the console runs under its real security headers (CSP with nonces, no framing),
// and every page and API answer carries them. auth.spec.ts has created the admin.

function expectBaseline(res: APIResponse) {
  const headers = res.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["strict-transport-security"]).toBeUndefined(); // plain http here
}

test("pages: a nonce CSP without eval, and nothing the CSP blocks while the console is used", async ({ page, baseURL }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, baseURL!);
  const nonces = new Set<string>();
  for (const path of ["/sign-in", "/webhooks", "/overview", "/api-keys"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(200);
    expectBaseline(res);
    const policy = res.headers()["content-security-policy"] ?? "";
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("'strict-dynamic'");
    expect(policy).not.toContain("unsafe-eval");
    nonces.add(policy.match(/'nonce-([^']+)'/)?.[1] ?? "");
  }
  expect(nonces.size).toBe(4);

  // The console hydrates and works under the policy: open the create dialog (client-side JS).
  await page.goto("/webhooks");
  await page
    .getByRole("button", { name: /Create webhook/ })
    .first()
    .click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.goto("/api-keys");
  await expect(page.getByRole("button", { name: "Create API key" })).toBeEnabled();
  expect(violations).toEqual([]);
});

/** Everything the browser reports that the CSP blocked, and every uncaught page error. */
function watchForViolations(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text()))
      problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  return problems;
}

test("every console page renders under the CSP in dark mode: charts, API reference, details", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const origin = { origin: baseURL! };
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  try {
    await signIn(page, baseURL!);
    const url = `http://127.0.0.1:${portOf(receiver)}/csp`;
    const created = await page.request.post("/api/hooks", {
      data: { name: "CSP tour", events: ["User.Created"], config: { url } },
      headers: origin,
    });
    expect(created.status()).toBe(201);
    const hookId = (await bodyOf(created, hookOutputSchema)).id;
    const { key } = await bodyOf(
      await page.request.post("/api/api-keys", { data: { name: "csp tour" }, headers: origin }),
      createdApiKeySchema,
    );
    expect(
      (
        await page.request.post("/api/events", {
          data: { event: "User.Created", data: { id: "csp" } },
          headers: { authorization: `Bearer ${key}` },
        })
      ).status(),
    ).toBe(202);
    let deliveryId = "";
    await expect
      .poll(
        async () => {
          const items = await bodyOf(await page.request.get(`/api/hooks/${hookId}/recent-logs`), z.array(logtoHookLogSchema));
          deliveryId = items[0]?.id ?? "";
          return deliveryId !== "";
        },
        { timeout: 30_000 },
      )
      .toBe(true);

    const problems = watchForViolations(page);
    // The theme menu (client JS) sets the cookie; later pages come from the server already dark.
    await page.goto("/overview");
    await expect(page.getByTestId("requests-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    await page.getByRole("button", { name: ADMIN.email }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await page.keyboard.press("Escape");
    for (const path of [
      "/webhooks",
      `/webhooks/${hookId}/settings`,
      `/webhooks/${hookId}/recent-requests`,
      `/webhooks/${hookId}/recent-requests/${deliveryId}`,
      "/api-keys",
      "/api-reference",
    ]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await expect(page.locator("html"), path).toHaveClass(/\bdark\b/);
      await expect(page.locator("main"), path).toBeVisible();
    }
    await page.goto(`/webhooks/${hookId}/recent-requests`);
    await expect(page.getByTestId("requests-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
    await page.goto("/api-reference");
    await expect(page.getByTestId("api-reference").getByRole("row").nth(5)).toBeVisible();
    expect(problems).toEqual([]);
    await page.context().clearCookies({ name: "theme" });
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test("API: no-store and the baseline on Next's routes and on the lean ingestion path", async ({ page, baseURL }) => {
  await signIn(page, baseURL!);
  for (const res of [
    await page.request.get("/api/hooks"),
    await page.request.get("/api/auth/me"),
    await page.request.post("/api/events", { data: {}, headers: { authorization: "Bearer whc_not-a-key" } }),
    await page.request.get("/api/nothing-here"),
  ]) {
    expectBaseline(res);
    expect(res.headers()["cache-control"], res.url()).toBe("no-store");
  }
});

test("edges: malformed percent-encoding gets 400 and an unsupported method 405, with the envelope", async ({ page }) => {
  for (const path of ["/api/hooks/%ff%fe", "/webhooks/%ff"]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_path" });
  }
  const put = await page.request.put("/api/hooks", { data: {} });
  expect(put.status()).toBe(405);
  expect(put.headers()["allow"]).toBe("GET, POST, HEAD, OPTIONS");
  expect(await put.json()).toMatchObject({ code: "method_not_allowed" });
});

test("another origin cannot frame the signed-in settings page", async ({ page, baseURL }) => {
  await signIn(page, baseURL!);
  // 127.0.0.1 is another origin than localhost: the page there tries to frame the console.
  const other = baseURL!.replace("localhost", "127.0.0.1");
  await page.route(`${other}/framer`, (route) =>
    route.fulfill({ contentType: "text/html", body: `<iframe id="f" src="${baseURL}/webhooks"></iframe>` }),
  );
  // goto waits for the load event, which waits for the iframe's own load (its error page when
  // blocked). Chromium logs no console message for the refusal here, so waiting for one only ever
  // timed out (10 s).
  await page.goto(`${other}/framer`);
  const frame = page.frame({ url: /\/webhooks/ });
  // Chromium leaves a blocked frame on an error page: none of the console is in it.
  const rendered = frame
    ? await frame
        .locator("text=Create webhook")
        .count()
        .catch(() => 0)
    : 0;
  expect(rendered).toBe(0);
});
