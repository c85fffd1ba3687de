import { db } from "@/lib/db/client";

/** Empties every table between tests that need a clean slate (each file has its own database); the rollups go with their hooks. */
export async function resetDatabase() {
  await db.$executeRawUnsafe(
    `TRUNCATE "Delivery", "Event", "Hook", "ApiKey", "Session", "SignInThrottle", "AdminUser", "DeliveryRollup" RESTART IDENTITY CASCADE`,
  );
}
