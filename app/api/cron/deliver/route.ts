import { apiRoute, json } from "@/lib/http/route";
import { cronPass } from "@/lib/jobs/cron";

// For platforms with a cron scheduler instead of a long-running worker:
//   curl -H "Authorization: Bearer $CRON_SECRET" https://…/api/cron/deliver
// Processes due deliveries for a bounded time (in-flight attempts included), then the housekeeping
// (retention, stats rollups), and reports counts.
const BUDGET_MS = 25_000;
export const maxDuration = 60;
export const dynamic = "force-dynamic";

const handler = apiRoute("cron", async ({ ctx }) => json(await cronPass(ctx, BUDGET_MS)));

export const GET = handler;
export const POST = handler;
