-- The claim's index holds only rows a claim can take without looking at a lease: pending and not
-- leased. With every pending row in it (Delivery_hook_due_idx), each claim walked past all the
-- rows in flight and the dead versions their claims and results left behind, thousands of heap
-- visits per claim under a backlog (pg_stat_statements: 36 ms per claim, 1.2 ms per delivery).
-- Expired leases are found through Delivery_lease_idx instead.
CREATE INDEX "Delivery_ready_idx" ON "Delivery"("hookId", "nextAttemptAt") WHERE "status" = 'pending' AND "leaseOwner" IS NULL;
DROP INDEX IF EXISTS "Delivery_hook_due_idx";
