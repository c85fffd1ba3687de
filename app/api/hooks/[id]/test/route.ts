import { parseOrThrow } from "@/lib/errors";
import { assertTestPayloadsSucceeded, sendTestPayloads, testPayloadSchema } from "@/lib/delivery/test-payload";
import { serverSchemaOptions } from "@/lib/hooks/service";
import { apiRoute, json, noContent, readJson, LOGTO_ERRORS } from "@/lib/http/route";

// Logto's POST /api/hooks/:id/test {events, config: {url, headers?}}: 204 when every endpoint
// answered 2xx, else 422 {responseStatus, responseBody}. With ?details=true: 200 {results: [...]},
// one result per event, for the console's inline report.
export const POST = apiRoute<{ id: string }>(
  "admin",
  async ({ req, params, url, ctx }) => {
    const input = parseOrThrow(testPayloadSchema(serverSchemaOptions(ctx)), await readJson(req, 64 * 1024));
    const results = await sendTestPayloads(ctx, params.id, input);
    if (["true", "1"].includes(url.searchParams.get("details") ?? "")) return json({ results });
    assertTestPayloadsSucceeded(results);
    return noContent();
  },
  LOGTO_ERRORS,
);
