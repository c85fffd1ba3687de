import { apiRoute, json } from "@/lib/http/route";
import { overviewStats } from "@/lib/deliveries/stats";

/** Totals across every webhook for the last 24 h, per hour, and the webhooks failing most. */
export const GET = apiRoute("admin", async ({ ctx }) => json(await overviewStats(ctx)));
