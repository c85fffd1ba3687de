// Fills the database with synthetic delivery rows for performance work (scripts/explain-deliveries.ts):
//   DATABASE_URL=postgres://… npx tsx scripts/seed-deliveries.ts [--rows 1000000] [--hooks 20]
//                                  [--days 14] [--hot 0.5] [--keep]
// Rows are generated inside PostgreSQL with generate_series (about 1M rows/min on 2 cores, with
// every index in place). Seeded hooks are named "[seed] …"; a run first deletes earlier seeded
// hooks and their deliveries unless --keep is given. Without DATABASE_URL it uses the embedded
// database in .data/ (DATA_DIR overrides), like `npm start`.
import { parseArgs } from "node:util";
import { createContext, installContext } from "../lib/context";
import { prepareDatabase } from "../lib/db/bootstrap";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    hooks: { type: "string", default: "20" },
    // Spread of createdAt back from now: 14 = the default retention (steady state); 1 puts every
    // row inside the 24 h window (the worst case for stats and charts).
    days: { type: "string", default: "14" },
    // Share of the rows that go to the first hook, a "big" webhook next to many small ones.
    hot: { type: "string", default: "0.5" },
    batch: { type: "string", default: "250000" },
    keep: { type: "boolean", default: false },
  },
});

const rows = Number(values.rows);
const hookCount = Number(values.hooks);
const days = Number(values.days);
const hot = Number(values.hot);
const batch = Number(values.batch);
if (![rows, hookCount, days, hot, batch].every(Number.isFinite) || rows < 1 || hookCount < 1 || hot < 0 || hot > 1) {
  throw new Error("Usage: seed-deliveries.ts [--rows N] [--hooks N] [--days D] [--hot 0..1] [--batch N] [--keep]");
}

const EVENTS = [
  "User.Created",
  "User.Data.Updated",
  "PostSignIn",
  "PostRegister",
  "Role.Created",
  "Organization.Created",
  "User.Deleted",
  "Scope.Created",
];

async function main() {
  const database = await prepareDatabase({ log: (line) => console.log(`[seed] ${line}`) });
  const ctx = installContext(createContext({ databaseUrl: database.url }));
  const { db } = ctx;
  try {
    if (!values.keep) {
      const started = Date.now();
      const removed = await db.$executeRaw`DELETE FROM "Hook" WHERE "name" LIKE '[seed] %'`;
      if (removed > 0) console.log(`[seed] removed ${removed} earlier seeded hooks in ${Date.now() - started} ms`);
    }

    // Hook ids: 21 chars of [0-9a-z] like real ones; every fifth hook is disabled (history stays).
    const run = Date.now().toString(36);
    const hookIds = Array.from({ length: hookCount }, (_, index) =>
      `seed${run}${String(index).padStart(4, "0")}`.padEnd(21, "x").slice(0, 21),
    );
    await db.$executeRaw`
      INSERT INTO "Hook" ("id", "name", "events", "url", "signingKey", "enabled", "updatedAt")
      SELECT id, '[seed] hook ' || ord, ${EVENTS}::text[], 'https://example.com/hooks/' || ord,
             md5(id), ord % 5 <> 4, now()
        FROM unnest(${hookIds}::text[]) WITH ORDINALITY AS h(id, ord)`;

    const started = Date.now();
    for (let offset = 0; offset < rows; offset += batch) {
      const count = Math.min(batch, rows - offset);
      const t0 = Date.now();
      // Per row, deterministic in the series number i: the hook (the hot one gets `hot` of the
      // rows), the event, the time (uniform over `days`), and the outcome (~94 % succeeded at once,
      // ~2 % succeeded after retries, ~4 % failed after 4 attempts; of the last 15 minutes' rows
      // ~0.5 % are still retrying, due in an hour so a worker pointed at this database leaves them
      // be). 15 minutes: the longest the retry schedule keeps a row pending (1 s, 5 s, 30 s, each
      // stretched by Retry-After up to 5 min), so the stats rollups lag as far as they can.
      await db.$executeRaw`
        WITH s AS (
          SELECT i,
                 (CASE WHEN (i * 7919) % 1000 < ${Math.round(hot * 1000)}::int THEN 1
                      ELSE 1 + (i % ${hookCount}::int) END)::int AS h,
                 (1 + i % 8)::int AS e,
                 now() - (((i * 104729) % 1000003)::float8 / 1000003 * ${days}::float8) * interval '1 day' AS at,
                 (i * 31) % 1000 AS roll
            FROM generate_series(${offset + 1}::bigint, ${offset + count}::bigint) AS i
        ),
        r AS (
          SELECT s.*, ${hookIds}::text[] AS ids, ${EVENTS}::text[] AS events,
                 CASE WHEN roll < 960 THEN 'succeeded' WHEN roll < 995 OR at < now() - interval '15 minutes' THEN 'failed'
                      ELSE 'pending' END AS st,
                 CASE WHEN roll < 940 THEN 1 WHEN roll < 960 THEN 2 WHEN roll < 995 THEN 4 ELSE 1 END AS att,
                 CASE WHEN roll < 960 THEN 200 WHEN roll < 980 THEN 500 WHEN roll < 995 THEN NULL ELSE 503 END AS code
            FROM s
        )
        INSERT INTO "Delivery" ("id", "hookId", "event", "status", "attempts", "nextAttemptAt", "requestBody",
                                "requestUrl", "requestHeaders", "responseStatus", "responseHeaders", "responseBody",
                                "durationMs", "error", "attemptLog", "createdAt", "completedAt")
        SELECT gen_random_uuid(), ids[h], events[e], st::"DeliveryStatus", att,
               CASE WHEN st = 'pending' THEN now() + interval '1 hour' ELSE at END,
               '{"hookId":"' || ids[h] || '","event":"' || events[e] || '","createdAt":"' ||
                 to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
                 '","userAgent":"Mozilla/5.0","ip":"203.0.113.7","path":"/api/users","method":"POST","status":201,' ||
                 '"data":{"id":"' || md5(i::text) || '","primaryEmail":"user' || i || '@example.com","name":"User ' || i || '"}}',
               'https://example.com/hooks/' || h,
               jsonb_build_object('user-agent', 'WebhookConsole/0.1.0', 'content-type', 'application/json',
                                  'logto-signature-sha-256', '[redacted]', 'webhook-id', gen_random_uuid()::text),
               code,
               CASE WHEN code IS NULL THEN NULL ELSE jsonb_build_object('content-type', 'text/plain') END,
               CASE WHEN code IS NULL THEN NULL WHEN code = 200 THEN 'ok' ELSE 'upstream error' END,
               20 + (i % 180),
               CASE WHEN st = 'succeeded' THEN NULL WHEN code IS NULL THEN 'Timed out after 10000 ms.' ELSE 'HTTP ' || code END,
               jsonb_build_array(jsonb_build_object('at', at, 'status', code, 'durationMs', 20 + (i % 180), 'error', NULL)),
               at,
               CASE WHEN st = 'pending' THEN NULL ELSE at + interval '200 milliseconds' END
          FROM r`;
      console.log(`[seed] ${offset + count} / ${rows} rows (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    console.log(`[seed] inserted ${rows} deliveries for ${hookCount} hooks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Rows stamped in the past land in minutes the stats rollups (lib/deliveries/rollup.ts) may have
    // settled already, which would never count them: the rollups start over on their next run.
    await db.$executeRaw`DELETE FROM "DeliveryRollup"`;
    await db.$executeRaw`DELETE FROM "DeliveryMinuteStat"`;
    // Fresh statistics and visibility map, as autovacuum would leave a table in steady state.
    const t1 = Date.now();
    await db.$executeRawUnsafe(`VACUUM (ANALYZE) "Delivery"`);
    await db.$executeRawUnsafe(`ANALYZE "Hook"`);
    console.log(`[seed] VACUUM ANALYZE in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  } finally {
    await ctx.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error("[seed] failed:", error);
  process.exit(1);
});
