import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, type Prisma } from "./generated/client";

/** Prisma's client, or the one a transaction's callback is given (no `$transaction` of its own). */
export type Db = Prisma.TransactionClient;
export type TransactionOptions = { maxWait?: number; timeout?: number; isolationLevel?: Prisma.TransactionIsolationLevel };
/**
 * One statement on the pool. A `name` makes it a prepared statement, parsed and planned once per
 * connection: for the statements run thousands of times a second.
 */
export type Query = <T extends pg.QueryResultRow>(text: string, values?: unknown[], name?: string) => Promise<T[]>;

export type Database = { prisma: PrismaClient; pool: pg.Pool; query: Query; close(): Promise<void> };

/**
 * Under the tests a process can wait seconds for the CPU (2 cores shared with a build, browsers and
 * other stages), and Prisma's 5 s limit on an interactive transaction (2 s to start one) then fails
 * a correct test. The vitest config raises both (WC_TEST_TRANSACTION_TIMEOUT_MS); everything else
 * keeps Prisma's defaults.
 */
function testTransactionOptions() {
  const timeout = Number(process.env.WC_TEST_TRANSACTION_TIMEOUT_MS ?? 0);
  return timeout > 0 ? { timeout, maxWait: timeout } : undefined;
}

/**
 * A process's database connections, opened by its entry point (lib/context.ts). Prisma runs on the
 * pool, and the hot paths (ingestion, the worker's claims and writes) query it directly: Prisma's
 * per-query work (query compiler, argument and result mapping) was a quarter of the server's CPU
 * at ingestion (scripts/bench.ts profiles). Nothing connects before the first query, and idle
 * connections do not keep a script alive.
 */
export function openDatabase(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 20, allowExitOnIdle: true });
  // An idle connection the server dropped (restart, DROP DATABASE … FORCE) must not crash the
  // process: the pool discards it and the next query opens a new one.
  pool.on("error", () => {});
  const transactionOptions = testTransactionOptions();
  const prisma = transactionOptions
    ? new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions })
    : new PrismaClient({ adapter: new PrismaPg(pool) });
  const query: Query = async (text, values = [], name) => (await pool.query({ text, values, name })).rows;
  return {
    prisma,
    pool,
    query,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

export type { PrismaClient };
export { Prisma } from "./generated/client";
