// What services run with: a database (or a transaction on it), the configuration, the sender of
// HTTP requests to endpoints and a clock. Each entry point builds one context when it starts
// (scripts/console.ts for the console's route handlers, server actions and lean ingest path,
// scripts/worker.ts, the test setup lib/testing/worker-database.ts, scripts and benches) and
// installs it; services take it as their first argument, so nothing opens a database or reads the
// environment on import or first use.
import type pg from "pg";
import { parseConfig, type AppConfig } from "@/lib/config";
import { openDatabase, type Database, type Db, type Query, type TransactionOptions } from "@/lib/db/client";
import { createSender, type Sender } from "@/lib/delivery/http";

export type Clock = { now(): Date };
export const systemClock: Clock = { now: () => new Date() };

export type ServiceContext = {
  /** Prisma: the pool's client, or inside `transaction` that transaction's. */
  db: Db;
  /** Raw statements on the pool (the hot paths; never inside a Prisma transaction). */
  query: Query;
  pool: pg.Pool;
  /** For LISTEN, which holds a connection of its own outside the pool. */
  databaseUrl: string;
  config: AppConfig;
  sender: Sender;
  clock: Clock;
  /** Runs `work` in one transaction; nested calls join the outer one. */
  transaction<T>(work: (tx: ServiceContext) => Promise<T>, options?: TransactionOptions): Promise<T>;
};

export type ContextOptions = {
  databaseUrl: string;
  /** The variables to parse (lib/config.ts); process.env by default. */
  env?: NodeJS.ProcessEnv;
  config?: AppConfig;
  sender?: Sender;
  clock?: Clock;
};

/** The context of a process: `close()` ends its pool and sender (shutdown, end of a test file). */
export type AppContext = ServiceContext & { database: Database; close(): Promise<void> };

export function createContext(options: ContextOptions): AppContext {
  const config = options.config ?? parseConfig(options.env ?? process.env);
  const database = openDatabase(options.databaseUrl);
  const sender = options.sender ?? createSender({ allowLocal: config.ALLOW_LOCAL_ENDPOINTS, timeoutMs: config.DELIVERY_TIMEOUT_MS });
  const base = {
    query: database.query,
    pool: database.pool,
    databaseUrl: options.databaseUrl,
    config,
    sender,
    clock: options.clock ?? systemClock,
  };
  const inTransaction = (tx: Db): ServiceContext => {
    const scoped: ServiceContext = { ...base, db: tx, transaction: (work) => work(scoped) };
    return scoped;
  };
  return {
    ...base,
    db: database.prisma,
    database,
    transaction: (work, transactionOptions) => database.prisma.$transaction((tx) => work(inTransaction(tx)), transactionOptions),
    close: async () => {
      await sender.close();
      await database.close();
    },
  };
}

// On globalThis: Next's bundle and the modules tsx loads (the lean ingest path, the worker) are
// separate copies of this file in one process, and both must serve with the entry point's context.
const slot = globalThis as unknown as { webhookConsoleContext?: AppContext };

/** Called once by an entry point, before it serves; a second call replaces the first (tests). */
export function installContext(context: AppContext): AppContext {
  slot.webhookConsoleContext = context;
  return context;
}

/** The context the entry point installed: route handlers, server actions and pages pass it on. */
export function appContext(): AppContext {
  const context = slot.webhookConsoleContext;
  if (!context) {
    throw new Error("No service context: an entry point (scripts/console.ts, scripts/worker.ts, the test setup) installs one first.");
  }
  return context;
}

export const hasContext = () => slot.webhookConsoleContext !== undefined;

export function uninstallContext() {
  slot.webhookConsoleContext = undefined;
}

/**
 * The installed context's raw statements and pool, for the delivery engine's queue
 * (lib/delivery/queue.ts) and the process-level readiness and metrics: services use their `ctx`.
 */
export const query: Query = (text, values, name) => appContext().query(text, values, name);
export const pool = (): pg.Pool => appContext().pool;
