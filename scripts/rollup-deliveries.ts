// One run of the stats rollup (lib/deliveries/rollup.ts), as every worker does each minute: e.g. right
// after seeding (scripts/bench.ts section e), or to see how far the watermark can go.
//   DATABASE_URL=postgres://… npx tsx scripts/rollup-deliveries.ts
// Without DATABASE_URL it uses the embedded database in .data/ (DATA_DIR overrides), like `npm start`.
import { createContext, installContext } from "../lib/context";
import { prepareDatabase } from "../lib/db/bootstrap";

const log = (line: string) => console.log(`[rollup] ${line}`);

async function main() {
  const database = await prepareDatabase({ log });
  const ctx = installContext(createContext({ databaseUrl: database.url }));
  const { rollupDeliveries } = await import("../lib/deliveries/rollup");
  try {
    const started = performance.now();
    const result = await rollupDeliveries(ctx);
    const ms = Math.round(performance.now() - started);
    if (result.skipped) log(`another process is rolling up; skipped (${ms} ms)`);
    else {
      log(
        `rolled up [${result.rolledFrom.toISOString()}, ${result.rolledUntil.toISOString()}): ` +
          `${result.minuteRows} new hook-minute rows, ${result.pruned} pruned, in ${ms} ms`,
      );
    }
  } finally {
    await ctx.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error("[rollup] failed:", error);
  process.exit(1);
});
