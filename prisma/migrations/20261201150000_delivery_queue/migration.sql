-- Issue 16: the queue apart from the log. A pending delivery has one narrow "DeliveryQueue" row:
-- its due time, its lease and its live counters. Claims and leases touch only that row and its
-- two small partial indexes; the wide "Delivery" row (body, request and response, attempt log,
-- under the request log's covering indexes) is written once at insert and once per attempt
-- result. Before, every claim also rewrote the wide row: a new version of it and an entry in each
-- of its indexes (pg_stat_statements: ~1,090 B of WAL per claim).
CREATE TABLE "DeliveryQueue" (
    "id" UUID NOT NULL,
    "hookId" VARCHAR(21) NOT NULL,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    -- Live counters (the claim counts an attempt as it starts); "Delivery" gets them with each result.
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "interruptions" INTEGER NOT NULL DEFAULT 0,
    "probes" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "DeliveryQueue_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "DeliveryQueue_id_fkey" FOREIGN KEY ("id") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Claimable rows per hook, oldest due first (what Delivery_ready_idx was).
CREATE INDEX "DeliveryQueue_ready_idx" ON "DeliveryQueue"("hookId", "nextAttemptAt") WHERE "leaseOwner" IS NULL;
-- Attempts in flight per hook (the caps) and expired leases (what Delivery_lease_idx was).
CREATE INDEX "DeliveryQueue_lease_idx" ON "DeliveryQueue"("hookId", "leaseUntil") WHERE "leaseOwner" IS NOT NULL;
-- Small and rewritten all the time: vacuumed early, so the claim's index scans meet few dead entries.
ALTER TABLE "DeliveryQueue" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                                 autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 1000);

INSERT INTO "DeliveryQueue" ("id", "hookId", "nextAttemptAt", "leaseOwner", "leaseUntil", "attempts", "interruptions", "probes")
SELECT "id", "hookId", "nextAttemptAt", "leaseOwner", "leaseUntil", "attempts", "interruptions", "probes"
  FROM "Delivery" WHERE "status" = 'pending';

-- Every pending delivery inserted, by whichever writer (ingestion, resend, recover, scripts), gets
-- its queue row in the same statement: one grouped insert per statement, not a row trigger.
CREATE FUNCTION "delivery_enqueue"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "DeliveryQueue" ("id", "hookId", "nextAttemptAt", "attempts", "interruptions", "probes")
  SELECT n."id", n."hookId", n."nextAttemptAt", n."attempts", n."interruptions", n."probes" FROM new_rows n WHERE n."status" = 'pending';
  RETURN NULL;
END $$;
CREATE TRIGGER "Delivery_enqueue" AFTER INSERT ON "Delivery" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "delivery_enqueue"();

DROP INDEX "Delivery_ready_idx";
DROP INDEX "Delivery_lease_idx";
ALTER TABLE "Delivery" DROP COLUMN "leaseOwner";
ALTER TABLE "Delivery" DROP COLUMN "leaseUntil";
