// Recognises a statement PostgreSQL aborted as a deadlock's victim or a serialization failure,
// through Prisma's wrapping or straight from pg: it changed nothing and may simply run again.
const RETRYABLE_CODES = new Set(["40P01", "40001"]);

export function isRetryableDbError(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && typeof cause === "object" && depth < 5; depth++) {
    const { code, kind } = cause as { code?: unknown; kind?: unknown };
    // Prisma: P2034 (write conflict or deadlock); its driver adapter's cause: {kind, code}.
    if (code === "P2034" || kind === "TransactionWriteConflict") return true;
    if (typeof code === "string" && RETRYABLE_CODES.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
