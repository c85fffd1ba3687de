// One run of the stats rollup (lib/deliveries/rollup.ts), as every worker does each minute: e.g. right
// after seeding (scripts/bench.ts section e), or to see how far the watermark can go.
//   DATABASE_URL=postgres://… npx tsx scripts/rollup-deliveries.ts
// Without DATABASE_URL it uses the embedded database in .data/ (DATA_DIR overrides), like `npm start`.
import { prepareDatabase } from "../lib/db/bootstrap";

const log = (line: string) => console.log(`[rollup] ${line}`);

async function main() {
  const database = await prepareDatabase({ log });
  // Imported after DATABASE_URL is known: these modules open the database on first use.
  const { db } = await import("../lib/db/client");
  const { rollupDeliveries } = await import("../lib/deliveries/rollup");
  try {
    const started = performance.now();
    const result = await rollupDeliveries();
    const ms = Math.round(performance.now() - started);
    if (result.skipped) log(`another process is rolling up; skipped (${ms} ms)`);
    else {
      log(
        `rolled up [${result.rolledFrom.toISOString()}, ${result.rolledUntil.toISOString()}): ` +
          `${result.minuteRows} new hook-minute rows, ${result.pruned} pruned, in ${ms} ms`,
      );
    }
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error("[rollup] failed:", error);
  process.exit(1);
});
