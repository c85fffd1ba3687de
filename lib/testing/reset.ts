import { appContext } from "@/lib/context";

/**
 * Empties every table between tests that need a clean slate; the rollups go with their hooks. Each
 * vitest worker has its own database (lib/testing/worker-database.ts), but the files that worker
 * runs share it one after another, so a file must not count on finding it empty.
 */
export async function resetDatabase() {
  await appContext().db.$executeRawUnsafe(
    `TRUNCATE "Delivery", "Event", "Hook", "ApiKey", "Session", "SignInThrottle", "AdminUser", "DeliveryRollup" RESTART IDENTITY CASCADE`,
  );
}
