import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { createdApiKeySchema } from "@/lib/api-keys/schemas";
import { deliveryPageSchema } from "@/lib/deliveries/schemas";
import { ADMIN, signIn, bodyOf, portOf } from "./support";

// Issue 10 end to end: a webhook whose endpoint refuses connections is paused by its circuit
// breaker, and the console says so (list tag, details banner with "Retry now", Overview); a
// webhook with failed requests gets them resent with "Resend failed requests".
test.describe.configure({ mode: "serial" });

/** A port nothing listens on: connections to it are refused. */
async function deadUrl() {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

/** Answers 400 until fixed, then 200. */
async function startReceiver() {
  let fixed = false;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(fixed ? 200 : 400).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = portOf(server);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    fix: () => {
      fixed = true;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function deliveries(request: APIRequestContext, hookId: string) {
  const res = await request.get(`/api/hooks/${hookId}/deliveries`);
  expect(res.ok()).toBe(true);
  return (await bodyOf(res, deliveryPageSchema)).items;
}

test("a failing webhook's paused state, Retry now, and Resend failed requests", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  if (!baseURL) throw new Error("baseURL is not configured");
  const origin = { origin: baseURL };
  await page.request.post("/api/auth/setup", { data: ADMIN, headers: origin });
  await signIn(page, baseURL);
  const keyRes = await page.request.post("/api/api-keys", { data: { name: "e2e endpoint health" }, headers: origin });
  const { key } = await bodyOf(keyRes, createdApiKeySchema);
  const suffix = Date.now().toString(36);
  const receiver = await startReceiver();

  const create = async (name: string, url: string, events: string[]) => {
    const res = await page.request.post("/api/hooks", { data: { name, events, config: { url } }, headers: origin });
    expect(res.status()).toBe(201);
    return (await bodyOf(res, hookOutputSchema)).id;
  };
  const send = async (event: string, count: number) => {
    for (let n = 0; n < count; n++) {
      const res = await page.request.post("/api/events", { data: { event, data: { n } }, headers: { authorization: `Bearer ${key}` } });
      expect(res.status()).toBe(202);
    }
  };
  const deadName = `Dead endpoint ${suffix}`;
  const flakyName = `Rejecting endpoint ${suffix}`;
  const deadId = await create(deadName, await deadUrl(), ["Scope.Deleted"]);
  const flakyId = await create(flakyName, receiver.url, ["Scope.Created"]);

  try {
    await test.step("25 events to a refusing endpoint open its circuit (default threshold 20)", async () => {
      await send("Scope.Deleted", 25);
      await expect
        .poll(async () => (await bodyOf(await page.request.get(`/api/hooks/${deadId}`), hookOutputSchema)).health.state, {
          timeout: 30_000,
        })
        .toBe("circuit_open");
    });

    await test.step("the list tags it Paused with its held requests, next to the success rate", async () => {
      await page.goto("/webhooks");
      const row = page.getByRole("row").filter({ hasText: deadName });
      await expect(row.getByTestId("health-tag")).toContainText(/Paused · \d+ held/);
    });

    await test.step("the details header explains the pause, and Retry now sends a probe", async () => {
      await page.goto(`/webhooks/${deadId}/settings`);
      const banner = page.getByTestId("health-banner");
      await expect(banner).toContainText(
        /Deliveries paused since \d{1,2}:\d{2}.*: connection refused; next try (in \d+ s|any moment now)\./,
      );
      await expect(banner).toContainText(/\d+ requests held/);
      await banner.getByRole("button", { name: "Retry now" }).click();
      await expect(page.getByText("Trying the endpoint again now.")).toBeVisible();
    });

    await test.step("the Overview lists it among the webhooks needing attention", async () => {
      await page.goto("/overview");
      const table = page.getByRole("table", { name: "Webhooks needing attention" });
      await expect(table.getByRole("row").filter({ hasText: deadName })).toContainText("connection refused");
    });

    await test.step("Resend failed requests: the confirmation counts them, the resends succeed", async () => {
      await send("Scope.Created", 3);
      await expect
        .poll(async () => (await deliveries(page.request, flakyId)).filter((row) => row.status === "failed").length, { timeout: 30_000 })
        .toBe(3);
      receiver.fix();
      await page.goto(`/webhooks/${flakyId}/recent-requests`);
      await page.getByRole("button", { name: "Resend failed requests" }).click();
      const dialog = page.getByRole("alertdialog");
      await expect(dialog).toContainText("3 failed requests of the last 24 hours will be sent again");
      await dialog.getByRole("button", { name: "Resend 3" }).click();
      await expect(page.getByText("3 failed requests queued again.")).toBeVisible();
      await expect
        .poll(
          async () =>
            (await deliveries(page.request, flakyId)).filter((row) => row.resendOfId !== null && row.status === "succeeded").length,
          {
            timeout: 30_000,
          },
        )
        .toBe(3);
      await expect(page.getByRole("table", { name: "Recent requests" }).locator("tbody tr")).toHaveCount(6, { timeout: 15_000 });
    });
  } finally {
    await page.request.delete(`/api/hooks/${deadId}`, { headers: origin });
    await page.request.delete(`/api/hooks/${flakyId}`, { headers: origin });
    await receiver.close();
  }
});
