import { parseOrThrow } from "@/lib/errors";
import { apiRoute, json } from "@/lib/http/route";
import { sparklinesQuerySchema } from "@/lib/deliveries/schemas";
import { hookSparklines } from "@/lib/deliveries/stats";

/** `?ids=a,b,c`: 24 hourly request and failure counts per webhook, for the list's sparklines. */
export const GET = apiRoute("admin", async ({ url, ctx }) => {
  const { ids } = parseOrThrow(sparklinesQuerySchema, Object.fromEntries(url.searchParams));
  return json(await hookSparklines(ctx, ids));
});
