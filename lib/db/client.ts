import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";

// One pool and one client per process, kept on globalThis: Next.js dev reloads modules, and the
// lean HTTP path (loaded by tsx) and Next's bundle each hold their own copy of this module.
const globalForDb = globalThis as unknown as { prisma?: PrismaClient; pgPool?: pg.Pool };

/**
 * The process's database connections. Prisma runs on this pool, and the hot paths (ingestion, the
 * worker's claims and writes) query it directly with `query`: Prisma's per-query work (query
 * compiler, argument and result mapping) was a quarter of the server's CPU at ingestion
 * (scripts/bench.ts profiles). Idle connections do not keep a script alive.
 */
export function pool(): pg.Pool {
  if (!globalForDb.pgPool) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: start the console with `npm start`.");
    const created = new pg.Pool({ connectionString, max: 20, allowExitOnIdle: true });
    // An idle connection the server dropped (restart, DROP DATABASE … FORCE) must not crash the
    // process: the pool discards it and the next query opens a new one.
    created.on("error", () => {});
    globalForDb.pgPool = created;
  }
  return globalForDb.pgPool;
}

/**
 * One statement on the shared pool. A `name` makes it a prepared statement, parsed and planned
 * once per connection: for the statements run thousands of times a second.
 */
export async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], name?: string): Promise<T[]> {
  return (await pool().query<T>({ text, values, name })).rows;
}

function createClient() {
  return new PrismaClient({ adapter: new PrismaPg(pool()) });
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  // Created on first use so that importing a module never needs a database (e.g. `next build`).
  get(_target, property) {
    globalForDb.prisma ??= createClient();
    const value = Reflect.get(globalForDb.prisma, property);
    return typeof value === "function" ? value.bind(globalForDb.prisma) : value;
  },
});

export type { PrismaClient };
export { Prisma } from "./generated/client";
