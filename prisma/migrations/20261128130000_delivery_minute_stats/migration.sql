-- Per-minute rollups of settled minutes (lib/logs/rollup.ts), so the 24 h stats read ~1,440 small
-- rows per hook instead of every delivery of the day. "DeliveryRollup" is a single row: every
-- minute in ["rolledFrom", "rolledUntil") is rolled up for all hooks; the stats read raw delivery
-- rows outside that range (lib/logs/queries.ts). A minute without requests has no row.

-- CreateTable
CREATE TABLE "DeliveryMinuteStat" (
    "hookId" VARCHAR(21) NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DeliveryMinuteStat_pkey" PRIMARY KEY ("hookId","minute")
);

-- CreateTable
CREATE TABLE "DeliveryRollup" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "rolledFrom" TIMESTAMPTZ(3) NOT NULL,
    "rolledUntil" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DeliveryRollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeliveryMinuteStat_minute_idx" ON "DeliveryMinuteStat"("minute");

-- AddForeignKey
ALTER TABLE "DeliveryMinuteStat" ADD CONSTRAINT "DeliveryMinuteStat_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "Hook"("id") ON DELETE CASCADE ON UPDATE CASCADE;
