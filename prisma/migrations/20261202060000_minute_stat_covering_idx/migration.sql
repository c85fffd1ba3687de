-- The 24 h stats read "DeliveryMinuteStat" (~1,440 rows per hook and day) through its primary key
-- and its "minute" index. A hook's rows are spread over every page of the table (each rollup run
-- inserts one minute for all hooks), so each hook's range visited nearly every page (EXPLAIN at 1M
-- rows: 4,979 buffers for a list page's 20 hooks). With the counts in the indexes they are
-- index-only scans (258 buffers for the same statement). Both are partial on a predicate every row
-- satisfies, so Prisma leaves them alone (as Delivery_hook_log_idx); the readers' conditions
-- imply it ("hookId" = …, "minute" >= …).

-- Per hook: the list's totals, the sparklines, one hook's chart, the recent-logs total.
CREATE INDEX "DeliveryMinuteStat_hook_counts_idx" ON "DeliveryMinuteStat"("hookId", "minute")
  INCLUDE ("succeeded", "failed") WHERE "hookId" IS NOT NULL;

-- Across hooks by minute: the overview and the rollup's prune. Replaces the plain "minute" index.
DROP INDEX "DeliveryMinuteStat_minute_idx";
CREATE INDEX "DeliveryMinuteStat_minute_counts_idx" ON "DeliveryMinuteStat"("minute")
  INCLUDE ("hookId", "succeeded", "failed") WHERE "minute" IS NOT NULL;

-- Index-only scans skip the heap only on pages the visibility map marks all-visible. Rollups only
-- insert (one row per hook and minute) and prune: vacuum after every ~500 changed rows instead of
-- 20 % of the table, so at most the last minutes' rows are read from the heap.
ALTER TABLE "DeliveryMinuteStat" SET (autovacuum_vacuum_insert_threshold = 500, autovacuum_vacuum_insert_scale_factor = 0,
                                      autovacuum_vacuum_threshold = 500, autovacuum_vacuum_scale_factor = 0);
