-- Request log, 24 h stats, charts and retention at scale (plans and timings at 1M rows:
-- scripts/explain-logs.ts). The two time indexes are replaced by covering ones, so inserts and
-- updates maintain as many indexes as before:
--  * per hook, (createdAt, id) newest first for keyset paging, covering the columns the table's
--    filters and the per-hook stats read: index-only scans instead of heap reads;
--  * across hooks by time, for the overview and retention, covering what the overview counts.
-- Prisma's schema language has no INCLUDE and would recreate the indexes without it, so they are
-- declared partial on a predicate every row satisfies: Prisma leaves partial indexes alone (like
-- Delivery_due_idx), and every query that uses them bounds "createdAt", which implies it.

-- DropIndex
DROP INDEX "Delivery_hookId_createdAt_idx";

-- DropIndex
DROP INDEX "Delivery_createdAt_idx";

-- CreateIndex
CREATE INDEX "Delivery_hook_log_idx" ON "Delivery"("hookId", "createdAt" DESC, "id" DESC)
  INCLUDE ("status", "attempts", "event") WHERE "createdAt" IS NOT NULL;

-- CreateIndex
CREATE INDEX "Delivery_window_idx" ON "Delivery"("createdAt")
  INCLUDE ("hookId", "status", "attempts") WHERE "createdAt" IS NOT NULL;

-- Index-only scans skip the heap only on pages the visibility map marks all-visible; with the
-- default thresholds (20 % of the table) the last day's pages of a large log would stay unmarked
-- for long, so vacuum visits this table sooner.
ALTER TABLE "Delivery" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
