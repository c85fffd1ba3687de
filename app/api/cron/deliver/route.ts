import { processDueDeliveries } from "@/lib/delivery/worker";
import { apiRoute, json } from "@/lib/http/route";
import { purgeOldDeliveries } from "@/lib/logs/retention";
import { rollupDeliveries } from "@/lib/logs/rollup";

// For platforms with a cron scheduler instead of a long-running worker:
//   curl -H "Authorization: Bearer $CRON_SECRET" https://…/api/cron/deliver
// Processes due deliveries for a bounded time (in-flight attempts included) and reports counts.
const BUDGET_MS = 25_000;
export const maxDuration = 60;
export const dynamic = "force-dynamic";

// Retention rides along, bounded (at most 4 batches per call), for setups with no long-running worker;
// so do the stats rollups, without which the 24 h stats would read every raw row of the window.
const handler = apiRoute("cron", async () => {
  const counts = await processDueDeliveries({ deadlineMs: BUDGET_MS });
  const purged = await purgeOldDeliveries({ maxBatches: 4 });
  const rollup = await rollupDeliveries();
  return json({ ...counts, purgedDeliveries: purged.deliveries, statsRolledUntil: rollup.skipped ? null : rollup.rolledUntil.toISOString() });
});

export const GET = handler;
export const POST = handler;
