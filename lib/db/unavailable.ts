// Recognises "the database cannot be reached" among the errors Prisma, its pg adapter and pg
// throw, so the API answers 503 (retry later; nothing was stored) instead of a generic 500.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "P1001", // can't reach database server
  "P1002", // timed out
  "P1017", // server closed the connection
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up)
  "08000",
  "08001",
  "08003",
  "08006",
]);
// Prisma's pg adapter reports a dropped connection as a DriverAdapterError (in `meta.driverAdapterError`
// of a P2010) whose `cause.kind` names it, e.g. "Server has closed the connection." = ConnectionClosed.
const CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const CONNECTION_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|terminating connection|the database system is (starting up|shutting down)|Can't reach database server|Client has encountered a connection error|timeout exceeded when trying to connect|Server has closed the connection/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const record = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    originalCode?: unknown;
    errors?: unknown;
    kind?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof record.code === "string" && CONNECTION_CODES.has(record.code)) return true;
  if (typeof record.kind === "string" && CONNECTION_KINDS.has(record.kind)) return true;
  if (typeof record.originalCode === "string" && CONNECTION_CODES.has(record.originalCode)) return true;
  if (typeof record.message === "string" && CONNECTION_MESSAGES.test(record.message)) return true;
  if (Array.isArray(record.errors) && record.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  if (isDatabaseUnavailable(record.meta?.driverAdapterError, depth + 1)) return true;
  return isDatabaseUnavailable(record.cause, depth + 1);
}
