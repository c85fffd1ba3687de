import { apiRoute, json } from "@/lib/http/route";
import { listDeliveries } from "@/lib/logs/service";

type Params = { id: string };

/** The console's Recent requests table: `cursor`, `event`, `result` (success|failed), `limit`. */
export const GET = apiRoute<Params>("admin", async ({ params, url }) =>
  json(await listDeliveries(params.id, Object.fromEntries(url.searchParams))),
);
