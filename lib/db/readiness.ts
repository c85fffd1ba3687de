// Readiness (GET /api/health/ready): can this process serve? The database answers and every
// migration shipped with the code is applied. Liveness (GET /api/health) asks neither, so a
// process manager does not restart a healthy process during a database outage. A process that is
// shutting down is not ready either (markStopping), so a load balancer stops sending it traffic.
import path from "node:path";
import { z } from "zod";
import { query } from "@/lib/context";
import { rowsOf } from "./rows";
import { listMigrations } from "./migrate";
import { isDatabaseUnavailable } from "./unavailable";

export const WORKER_STATES = ["starting", "running", "restarting", "off"] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

export const readinessSchema = z.object({
  ready: z.boolean(),
  database: z.enum(["ok", "unavailable"]),
  /** Migrations in prisma/migrations not finished in the database; null when it could not be asked. */
  pendingMigrations: z.array(z.string()).nullable(),
  /** The process is shutting down (SIGTERM/SIGINT): not ready, whatever the database says. */
  stopping: z.boolean(),
  /**
   * This process's delivery worker, for operators; it does not make the process unready (events
   * are accepted and queued either way). `off`: DELIVERY_WORKER=off, another process delivers;
   * `restarting`: a delivery thread exited and waits to start again (its deliveries are claimed
   * again once their leases run out).
   */
  worker: z.enum(WORKER_STATES),
});
export type Readiness = z.infer<typeof readinessSchema>;
/** The route's answer (200 ready, 503 not). */
export const readinessAnswerSchema = readinessSchema.extend({ status: z.enum(["ready", "not_ready"]) });

// On globalThis: the run command (scripts/console.ts) and Next's bundle of the route each load
// their own copy of this module.
const lifecycle = globalThis as unknown as { webhookConsoleStopping?: boolean; webhookConsoleWorkerState?: () => WorkerState };

/** From now on this process answers readiness 503 (the run command's shutdown calls it first). */
export function markStopping() {
  lifecycle.webhookConsoleStopping = true;
}

/** How readiness learns the state of this process's in-process worker (lib/delivery/threads.ts). */
export function reportWorkerState(state: (() => WorkerState) | null) {
  lifecycle.webhookConsoleWorkerState = state ?? undefined;
}

export async function checkReadiness(migrationsDir = path.resolve("prisma/migrations")): Promise<Readiness> {
  const { ready, ...found } = await checkDatabase(migrationsDir);
  const stopping = lifecycle.webhookConsoleStopping === true;
  return { ready: ready && !stopping, ...found, stopping, worker: lifecycle.webhookConsoleWorkerState?.() ?? "off" };
}

const migrationRowSchema = z.object({ migration_name: z.string() });

async function checkDatabase(migrationsDir: string): Promise<Omit<Readiness, "stopping" | "worker">> {
  try {
    const rows = rowsOf(
      migrationRowSchema,
      await query(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`),
      "the applied migrations",
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    const pending = listMigrations(migrationsDir).filter((name) => !applied.has(name));
    return { ready: pending.length === 0, database: "ok", pendingMigrations: pending };
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { ready: false, database: "unavailable", pendingMigrations: null };
    // 42P01 (undefined table): no bookkeeping table yet, so nothing is applied.
    if ((error as { code?: unknown }).code === "42P01")
      return { ready: false, database: "ok", pendingMigrations: listMigrations(migrationsDir) };
    throw error;
  }
}
