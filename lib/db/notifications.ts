// LISTEN on a connection of its own: a notification reaches only the session that listens, and a
// pooled connection is handed to other queries.
import pg from "pg";
import { z } from "zod";
import { first } from "@/lib/assert";
import { rowsOf } from "./rows";
import { lineLogger } from "@/lib/observability/log";

const backendPidRowSchema = z.object({ pid: z.number().int() });

export type Subscription = {
  /** The listening session's server process id; null while not listening (connecting, or lost). */
  readonly backendPid: number | null;
  /** Stops listening for good and cancels any reconnect. */
  close(): Promise<void>;
};

export type ListenOptions = {
  databaseUrl: string | undefined;
  retryMs?: number;
  log?: (line: string) => void;
  /** The session's application_name (pg_stat_activity); `webhook-console listen <channel>` by default. */
  applicationName?: string;
};

// pg's Client has unref() (its pool's allowExitOnIdle relies on it); @types/pg does not declare it.
const unref = (client: pg.Client) => (client as unknown as { unref?: () => void }).unref?.();

/**
 * Calls `onMessage` with the payload of each NOTIFY on `channel`, reconnecting after errors.
 * Notifications sent while nobody listens are lost, so `onReset` runs when a listening connection
 * is lost and again each time LISTEN becomes active: what was learned before may be stale. Null
 * without a database URL. Neither the connection nor the retry timer keeps the process alive.
 */
export function listen(
  channel: string,
  onMessage: (payload: string) => void,
  onReset: () => void,
  options: ListenOptions,
): Subscription | null {
  const { databaseUrl } = options;
  if (!databaseUrl) return null;
  const retryMs = options.retryMs ?? 1_000;
  const log = options.log ?? lineLogger("db", "warn");
  let client: pg.Client | undefined;
  let backendPid: number | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  // One line per outage, not one per retry. Only error messages: the URL holds the password.
  let failing = false;

  function lost(current: pg.Client, error?: Error) {
    if (client !== current) return; // "error" and "end" report the same loss; close() already handled it
    client = undefined;
    current.end().catch(() => {});
    if (backendPid !== null) {
      backendPid = null;
      onReset();
    }
    if (!failing) log(`LISTEN ${channel} unavailable (${error?.message ?? "connection closed"}); retrying every ${retryMs / 1000} s`);
    failing = true;
    retry = setTimeout(() => void connect(), retryMs);
    retry.unref();
  }

  async function connect() {
    if (closed) return;
    let current: pg.Client;
    try {
      current = new pg.Client({
        connectionString: databaseUrl,
        application_name: options.applicationName ?? `webhook-console listen ${channel}`,
        keepAlive: true,
      });
    } catch {
      // A malformed URL never gets better; the error's text could quote it.
      log(`LISTEN ${channel} impossible: the database URL cannot be parsed`);
      return;
    }
    client = current;
    current.on("notification", (message) => {
      if (message.channel === channel) onMessage(message.payload ?? "");
    });
    current.on("error", (error) => lost(current, error));
    current.on("end", () => lost(current));
    unref(current); // while connecting (plain TCP)
    try {
      await current.connect();
      unref(current); // the stream may have been replaced (TLS)
      await current.query(`LISTEN ${current.escapeIdentifier(channel)}`);
      const { rows } = await current.query("SELECT pg_backend_pid() AS pid");
      if (client !== current) return;
      // pg_backend_pid() returns exactly one row.
      backendPid = first(rowsOf(backendPidRowSchema, rows, "the listening session's pid")).pid;
      if (failing) log(`LISTEN ${channel} is back`);
      failing = false;
      onReset(); // anything learned before this point could have missed a notification
    } catch (error) {
      lost(current, error as Error);
    }
  }

  void connect();
  return {
    get backendPid() {
      return backendPid;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      if (backendPid !== null) {
        backendPid = null;
        onReset();
      }
      await current?.end().catch(() => {});
    },
  };
}
