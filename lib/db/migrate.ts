// Applies prisma/migrations/*/migration.sql on start, without a Prisma engine. The bookkeeping is
// Prisma's own (`_prisma_migrations`, sha256 checksums, advisory lock 72707369), so `prisma migrate
// status/deploy/dev` agree with it, and two processes starting at once apply each migration once.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { ADVISORY_LOCKS } from "./advisory-locks";
import { rowsOf } from "./rows";

const PRISMA_MIGRATE_LOCK = ADVISORY_LOCKS.migrate;
const appliedMigrationRowSchema = z.object({ migration_name: z.string(), finished_at: z.date().nullable() });

export function listMigrations(dir: string) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

export async function applyMigrations(databaseUrl: string, dir = path.resolve("prisma/migrations")) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const rows = rowsOf(
      appliedMigrationRowSchema,
      (await client.query(`SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`)).rows,
      "the applied migrations",
    );
    const failed = rows.filter((row) => !row.finished_at).map((row) => row.migration_name);
    if (failed.length > 0) throw new Error(`A previous migration failed and needs attention: ${failed.join(", ")}`);
    const done = new Set(rows.map((row) => row.migration_name));
    for (const name of listMigrations(dir)) {
      if (done.has(name)) continue;
      const script = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const id = randomUUID();
      const checksum = createHash("sha256").update(script).digest("hex");
      await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)`, [id, checksum, name]);
      try {
        await client.query(script); // one simple-protocol query runs as one implicit transaction
      } catch (error) {
        await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, String(error)]);
        throw new Error(`Migration ${name} failed: ${String(error)}`);
      }
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      applied.push(name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]).catch(() => {});
    await client.end();
  }
}

/** Creates a database when missing (CREATE DATABASE cannot run inside a transaction or IF NOT EXISTS). */
export async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created meanwhile by a concurrent start
      });
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
