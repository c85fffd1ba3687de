import { parseOrThrow } from "@/lib/errors";
import { apiRoute, json } from "@/lib/http/route";
import { listDeliveriesQuerySchema } from "@/lib/deliveries/schemas";
import { listDeliveries } from "@/lib/deliveries/service";

type Params = { id: string };

/** The console's Recent requests table: `cursor`, `event`, `result` (success|failed), `limit`. */
export const GET = apiRoute<Params>("admin", async ({ params, url, ctx }) =>
  json(await listDeliveries(ctx, params.id, parseOrThrow(listDeliveriesQuerySchema, Object.fromEntries(url.searchParams)))),
);
