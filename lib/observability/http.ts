// Per-request bookkeeping of the Node server (scripts/console.ts), for every path, Next's and the
// lean one alike: the request id (the caller's `x-request-id` or a new one, echoed in the answer and
// attached to every log entry of the request) and one access-log entry when the answer is sent.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger, requestIdFrom, withRequestId } from "./log";

const accessLog = logger("http");

export function observeRequest(req: IncomingMessage, res: ServerResponse, handle: () => void) {
  const started = process.hrtime.bigint();
  const requestId = requestIdFrom(req.headers["x-request-id"], randomUUID);
  res.setHeader("x-request-id", requestId);
  res.once("finish", () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    // The path only: a query string may carry a token.
    const entry = { reqId: requestId, method: req.method, path: (req.url ?? "/").split("?")[0], status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 };
    // Every answer at debug (ingestion runs thousands a second); server errors at warn.
    if (res.statusCode >= 500) accessLog.warn(entry, "request failed");
    else accessLog.debug(entry, "request");
  });
  withRequestId(requestId, handle);
}
