// Serves plain route handlers (lib/http/route.ts `plainRoute`) on a plain Node HTTP server, so hot
// paths such as event ingestion skip Next's router while running the very same handler code. The
// request is read straight from the IncomingMessage and the answer written straight to the socket:
// building Web Request/Response objects (streams, Headers, abort signals) cost more CPU than the
// rest of an ingest request (scripts/bench.ts profiles).
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "@/lib/observability/log";
import { errorAnswer } from "./errors";
import { payloadTooLarge, utf8, type PlainHandler, type PlainRequest, type PlainResponse } from "./route";

export type LeanRoutes = Record<string, Partial<Record<string, { plain: PlainHandler }>>>;

/** Past `maxBytes` the rest of the body is read and dropped (the 413 then closes the connection). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size > maxBytes) return;
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      chunks.length = 0;
      reject(payloadTooLarge(maxBytes));
    });
    req.on("end", () => resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))));
    req.on("error", reject);
    // A client that hangs up mid-body ends the stream without "end".
    req.on("close", () => {
      if (!req.complete) reject(new Error("The client closed the connection before sending the whole body."));
    });
  });
}

function plainRequest(req: IncomingMessage, origin: string): PlainRequest {
  let body: Promise<string> | undefined;
  return {
    method: req.method ?? "GET",
    url: new URL(req.url ?? "/", origin).href,
    headers: {
      // Node already joins repeated headers (or keeps the first, for singletons like authorization).
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    text: (maxBytes = Infinity) => (body ??= readBody(req, maxBytes)),
  };
}

function send({ status, headers, body }: PlainResponse, res: ServerResponse) {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  // A body cut off at its cap may still be arriving: do not keep reading it after the answer.
  if (status === 413) res.shouldKeepAlive = false;
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

/** Returns a handler for the matching path and method, or null to fall through to Next. */
export function leanRouter(routes: LeanRoutes, origin: string) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const [path = "/"] = (req.url ?? "/").split("?");
    const route = routes[path]?.[req.method ?? "GET"];
    if (!route) return false;
    route
      .plain(plainRequest(req, origin))
      .then((answer) => send(answer, res))
      .catch((error: unknown) => {
        // The handler answers its own errors; this is a failure writing the answer. Same envelope.
        logger("lean-http").error({ err: error }, "unexpected error");
        if (res.headersSent) res.end();
        else send(errorAnswer(error), res);
      });
    return true;
  };
}
