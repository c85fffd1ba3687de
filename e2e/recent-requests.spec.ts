import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { hookOutputSchema } from "@/lib/hooks/schemas";
import { createdApiKeySchema } from "@/lib/api-keys/schemas";
import { deliveryPageSchema } from "@/lib/deliveries/schemas";
import { z } from "zod";
import { ADMIN, signIn, bodyOf, portOf } from "./support";

// Issue 5 end to end: events sent through the API reach a local receiver that fails some of
// them; the list shows the right health, the chart renders, the table filters, a request opens
// with its details, and "Resend" makes a new entry that the receiver gets with the same body.
test.describe.configure({ mode: "serial" });

type Received = { event: string; id: string; body: string; webhookId: string };

/** node:http on 127.0.0.1: Role.Created → 500 (retried), Organization.Created → 400 (fails at
 *  once), User.Created → 200, except a first 500 for data.id "u-retry" (succeeds on its retry). */
async function startReceiver() {
  const received: Received[] = [];
  let fixed = false;
  let retried = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const payload = receivedSchema.parse(JSON.parse(body));
      received.push({ event: payload.event, id: payload.data?.id ?? "", body, webhookId: String(req.headers["webhook-id"]) });
      let status = 200;
      if (!fixed && payload.event === "Role.Created") status = 500;
      if (!fixed && payload.event === "Organization.Created") status = 400;
      if (payload.data?.id === "u-retry" && !retried) {
        retried = true;
        status = 500;
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = portOf(server);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** The endpoint is "fixed": everything answers 200 from now on. */
    fix: () => {
      fixed = true;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the receiver reads of a payload. */
const receivedSchema = z.looseObject({ event: z.string(), data: z.looseObject({ id: z.string().optional() }).optional() });

async function deliveries(request: APIRequestContext, hookId: string) {
  const res = await request.get(`/api/hooks/${hookId}/deliveries`);
  expect(res.ok()).toBe(true);
  return (await bodyOf(res, deliveryPageSchema)).items;
}

test("recent requests: health, chart, filters, details and resend", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  if (!baseURL) throw new Error("baseURL is not configured");
  const receiver = await startReceiver();
  const origin = { origin: baseURL };
  await page.request.post("/api/auth/setup", { data: ADMIN, headers: origin }); // refused once the admin exists
  await signIn(page, baseURL);

  const name = `Request log ${Date.now().toString(36)}`;
  const events = ["User.Created", "Role.Created", "Organization.Created"];
  const created = await page.request.post("/api/hooks", { data: { name, events, config: { url: receiver.url } }, headers: origin });
  expect(created.status()).toBe(201);
  const hookId = (await bodyOf(created, hookOutputSchema)).id;

  try {
    await test.step("send events through the API and wait for their deliveries", async () => {
      const keyRes = await page.request.post("/api/api-keys", { data: { name: "e2e recent requests" }, headers: origin });
      expect(keyRes.status()).toBe(201);
      const { key } = await bodyOf(keyRes, createdApiKeySchema);
      const sent = [
        { event: "User.Created", data: { id: "u1" } },
        { event: "User.Created", data: { id: "u2" } },
        { event: "User.Created", data: { id: "u-retry" } },
        { event: "Role.Created", data: { id: "r1" } },
        { event: "Organization.Created", data: { id: "o1" } },
      ];
      for (const body of sent) {
        const res = await page.request.post("/api/events", { data: body, headers: { authorization: `Bearer ${key}` } });
        expect(res.status()).toBe(202);
      }
      // Every event attempted; the User.Created that met a 500 succeeded on its retry.
      await expect
        .poll(
          async () => {
            const rows = await deliveries(page.request, hookId);
            return (
              rows.length === 5 && rows.every((row) => row.attempts > 0) && rows.filter((row) => row.status === "succeeded").length === 3
            );
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      const retried = (await deliveries(page.request, hookId)).find((row) => row.status === "succeeded" && row.attempts === 2);
      expect(retried, "one entry for a request retried once").toBeTruthy();
    });

    await test.step("the list shows the success rate and the request count of the last 24 hours", async () => {
      await page.goto("/webhooks");
      const row = page.getByRole("row").filter({ hasText: name });
      await expect(row).toBeVisible();
      // 5 requests (the retried one counts once): 3 succeeded, 1 failed, Role.Created still in
      // flight (retrying its 500s), so the rate counts the 4 settled ones.
      await expect(row.getByTestId("success-rate")).toHaveText("75%");
      await expect(row.getByTestId("in-flight")).toHaveText("1 in flight");
      await expect(row.getByRole("cell").last()).toHaveText("5");
      await expect(row.getByTestId("sparkline")).toHaveAttribute("aria-label", "5 requests in the last 24 hours, 1 failed, 1 in flight");
    });

    await test.step("the chart renders on the Recent requests tab", async () => {
      await page.goto(`/webhooks/${hookId}/recent-requests`);
      await expect(
        page.getByRole("navigation", { name: "Webhook sections" }).getByRole("link", { name: "Recent requests (24h)" }),
      ).toHaveAttribute("aria-current", "page");
      const chart = page.getByTestId("requests-chart");
      await expect(chart).toBeVisible();
      await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
      await expect(page.getByTestId("chart-summary")).toContainText("75%");
      await expect(page.getByTestId("chart-summary")).toContainText("1 in flight");
      // The header reads the chart's numbers, so the two agree.
      await expect(page.getByTestId("header-requests")).toHaveText("5 requests in 24h");
      await expect(page.getByTestId("header-success-rate")).toHaveText("Success rate 75%");
      await expect(page.getByTestId("chart-summary")).toContainText("5 requests");
      const table = page.getByRole("table", { name: "Recent requests" });
      await expect(table.getByRole("row")).toHaveCount(6); // header + 5
    });

    const table = page.getByRole("table", { name: "Recent requests" });
    const bodyRows = table.locator("tbody tr");
    async function pickEvent(search: string, event: string) {
      await page.getByRole("button", { name: /^Event/ }).click();
      await page.getByRole("combobox", { name: "Search events" }).fill(search);
      await page.getByRole("option", { name: event, exact: true }).click();
      await expect(page.getByRole("button", { name: `Event: ${event}` })).toBeVisible();
    }

    await test.step("filter the table by result and by event", async () => {
      await page.getByLabel("Result", { exact: true }).selectOption("failed");
      await expect(page).toHaveURL(/result=failed/);
      await expect(bodyRows.filter({ hasText: "Organization.Created" })).toHaveCount(1);
      await expect(bodyRows.filter({ hasText: "User.Created" })).toHaveCount(0);
      await expect(bodyRows.filter({ hasText: "Organization.Created" })).toContainText("400");

      await page.getByLabel("Result", { exact: true }).selectOption("");
      // The event filter is searchable: type part of a name, pick it from the list.
      await pickEvent("role.cre", "Role.Created");
      await expect(page).toHaveURL(/event=Role\.Created/);
      await expect(bodyRows).toHaveCount(1);
      await expect(bodyRows.first()).toContainText("500");

      await pickEvent("User.Created", "User.Created");
      await page.getByLabel("Result", { exact: true }).selectOption("success");
      await expect(bodyRows).toHaveCount(3);
      // ... and clearable in one click.
      await page.getByRole("button", { name: "Clear event" }).click();
      await expect(page.getByRole("button", { name: "Event: All events" })).toBeVisible();
      await page.getByLabel("Result", { exact: true }).selectOption("");
      await expect(bodyRows).toHaveCount(5);
    });

    let originalId = "";
    await test.step("open a request", async () => {
      await bodyRows.filter({ hasText: "Organization.Created" }).click();
      await expect(page).toHaveURL(new RegExp(`/webhooks/${hookId}/recent-requests/[0-9a-f-]{36}$`));
      originalId = page.url().split("/").pop() ?? "";
      await expect(page.getByTestId("delivery-id")).toHaveText(originalId);
      await expect(page.getByRole("heading", { name: /Organization\.Created/ })).toContainText("400");
      await expect(page.getByLabel("request body", { exact: true })).toContainText('"event": "Organization.Created"');
      await expect(page.getByRole("list", { name: "Attempts" })).toContainText("Attempt 1");
      await expect(page.getByRole("table", { name: "Request headers" })).toContainText("logto-signature-sha-256");
      // Our signatures are recorded as sent (an HMAC of this one body, not a credential).
      await expect(page.getByRole("table", { name: "Request headers" })).toContainText(/logto-signature-sha-256[0-9a-f]{64}/);
    });

    await test.step("resend it: a new entry, the same body, delivered to the fixed endpoint", async () => {
      receiver.fix();
      await page.getByRole("button", { name: "Resend" }).click();
      await expect(page.getByText("Request queued again")).toBeVisible();
      await expect(page).not.toHaveURL(new RegExp(`${originalId}$`));
      await expect(page).toHaveURL(new RegExp(`/webhooks/${hookId}/recent-requests/[0-9a-f-]{36}$`));
      const resentId = page.url().split("/").pop() ?? "";
      await expect(page.getByText("A manual resend of")).toBeVisible();
      await expect(page.getByRole("link", { name: originalId })).toBeVisible();
      await expect(page.getByRole("heading", { name: /Organization\.Created/ })).toContainText("200", { timeout: 15_000 });

      const bodies = receiver.received.filter((request) => request.event === "Organization.Created");
      expect(bodies).toHaveLength(2);
      const [original, resent] = bodies;
      expect(resent?.body).toBe(original?.body);
      expect(resent?.webhookId).toBe(resentId);

      await page.getByRole("link", { name: `Back to ${name}` }).click();
      await expect(bodyRows).toHaveCount(6);
      await expect(bodyRows.first()).toContainText("Resent");
    });
  } finally {
    // The Role.Created delivery is still retrying: the webhook goes, and its log with it.
    await page.request.delete(`/api/hooks/${hookId}`, { headers: origin });
    await receiver.close();
  }
});
