import { apiRoute, json } from "@/lib/http/route";
import { hookHourlyStats } from "@/lib/deliveries/stats";

type Params = { id: string };

/** Requests per hour over the last 24 h, for the webhook's chart. */
export const GET = apiRoute<Params>("admin", async ({ params, ctx }) => json(await hookHourlyStats(ctx, params.id)));
