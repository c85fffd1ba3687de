-- Endpoint health (issue 10): a circuit breaker per webhook, auto-disable, fair claims, bulk recovery.

-- One narrow row per webhook that has failed at least once: the breaker's state lives here, apart
-- from the wide Hook row, because attempt results update it (lib/delivery/queue.ts).
CREATE TABLE "HookHealth" (
    "hookId" VARCHAR(21) NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    -- First failure of the current run of failures (null while healthy).
    "failingSince" TIMESTAMPTZ(3),
    -- When the circuit opened (null: closed). While open, pending deliveries are held.
    "openedAt" TIMESTAMPTZ(3),
    "nextProbeAt" TIMESTAMPTZ(3),
    "cooldownMs" INTEGER,
    "lastError" TEXT,
    "lastFailureAt" TIMESTAMPTZ(3),
    CONSTRAINT "HookHealth_pkey" PRIMARY KEY ("hookId"),
    CONSTRAINT "HookHealth_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "Hook"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Why and when the service disabled a webhook on its own (null when an admin did, or never).
ALTER TABLE "Hook" ADD COLUMN "disabledReason" TEXT;
ALTER TABLE "Hook" ADD COLUMN "disabledAt" TIMESTAMPTZ(3);

-- Of `attempts`, the probes sent while the circuit was open: counted and logged, not charged to the
-- retry budget (a delivery must not run out of retries because its endpoint was down).
ALTER TABLE "Delivery" ADD COLUMN "probes" INTEGER NOT NULL DEFAULT 0;

-- The claim walks webhooks with pending work and takes each one's oldest due rows (fairness, caps):
-- pending rows by (hookId, nextAttemptAt). It replaces the global due index.
CREATE INDEX "Delivery_hook_due_idx" ON "Delivery"("hookId", "nextAttemptAt") WHERE "status" = 'pending';
DROP INDEX IF EXISTS "Delivery_due_idx";
-- Leases are their own state (leaseOwner/leaseUntil), no longer folded into nextAttemptAt: the
-- attempts in flight per webhook (its cap) and expired leases come from this small index.
CREATE INDEX "Delivery_lease_idx" ON "Delivery"("hookId", "leaseUntil") WHERE "leaseOwner" IS NOT NULL;
-- Bulk recovery looks up whether a failed row was already resent.
CREATE INDEX "Delivery_resend_idx" ON "Delivery"("resendOfId") WHERE "resendOfId" IS NOT NULL;
