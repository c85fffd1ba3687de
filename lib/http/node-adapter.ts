// Serves standard (Request) => Response route handlers on a plain Node HTTP server, so hot paths
// such as event ingestion skip Next's router while running the very same handler code.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

type WebHandler = (req: Request) => Promise<Response>;

export type LeanRoutes = Record<string, Partial<Record<string, WebHandler>>>;

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Required by Node's fetch for streamed bodies.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

async function send(response: Response, res: ServerResponse) {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/** Returns a handler for the matching path and method, or null to fall through to Next. */
export function leanRouter(routes: LeanRoutes, origin: string) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? "/").split("?")[0];
    const handler = routes[path]?.[req.method ?? "GET"];
    if (!handler) return false;
    handler(toRequest(req, origin))
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        console.error("[lean-http] unexpected error", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: "internal_error", message: "Something went wrong on our side." }));
      });
    return true;
  };
}
