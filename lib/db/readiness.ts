// Readiness (GET /api/health/ready): can this process serve? The database answers and every
// migration shipped with the code is applied. Liveness (GET /api/health) asks neither, so a
// process manager does not restart a healthy process during a database outage.
import path from "node:path";
import { z } from "zod";
import { query } from "./client";
import { listMigrations } from "./migrate";
import { isDatabaseUnavailable } from "./unavailable";

export const readinessSchema = z.object({
  ready: z.boolean(),
  database: z.enum(["ok", "unavailable"]),
  /** Migrations in prisma/migrations not finished in the database; null when it could not be asked. */
  pendingMigrations: z.array(z.string()).nullable(),
});
export type Readiness = z.infer<typeof readinessSchema>;
/** The route's answer (200 ready, 503 not). */
export const readinessAnswerSchema = readinessSchema.extend({ status: z.enum(["ready", "not_ready"]) });

export async function checkReadiness(migrationsDir = path.resolve("prisma/migrations")): Promise<Readiness> {
  try {
    const rows = await query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    const pending = listMigrations(migrationsDir).filter((name) => !applied.has(name));
    return { ready: pending.length === 0, database: "ok", pendingMigrations: pending };
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { ready: false, database: "unavailable", pendingMigrations: null };
    // 42P01 (undefined table): no bookkeeping table yet, so nothing is applied.
    if ((error as { code?: unknown }).code === "42P01") return { ready: false, database: "ok", pendingMigrations: listMigrations(migrationsDir) };
    throw error;
  }
}
