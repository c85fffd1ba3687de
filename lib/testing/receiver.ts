// A real local webhook endpoint for tests and the quick benchmark: a plain node:http server on
// 127.0.0.1 that records every request and answers from a script (status sequence, delay,
// redirect, connection reset, a slow body, or no answer at all).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { at } from "@/lib/assert";

export type ScriptedResponse = {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer after this long. */
  delayMs?: number;
  /** Redirect here (302 unless `status` says otherwise). */
  redirectTo?: string;
  /** Drop the connection without answering. */
  reset?: boolean;
  /** Never answer (until the receiver closes). */
  hang?: boolean;
  /** Send the headers at once and the body in five pieces spread over this long (a slow body). */
  dribbleMs?: number;
};

export type ReceivedRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
};

/** A list is played in order and its last entry repeats; a function decides per request (0-based). */
export type Script = ScriptedResponse[] | ((request: ReceivedRequest, index: number) => ScriptedResponse);

export type Receiver = {
  /** http://127.0.0.1:<port>/hook */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  setScript(script: Script): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
};

const DRIBBLE_PIECES = 5;

function dribble(res: http.ServerResponse, body: string, overMs: number) {
  const text = body || ".".repeat(DRIBBLE_PIECES);
  const size = Math.ceil(text.length / DRIBBLE_PIECES);
  let sent = 0;
  const next = () => {
    // The client may have given up (its timeout) and closed the connection meanwhile.
    if (res.destroyed || res.writableEnded) return;
    const piece = text.slice(sent * size, (sent + 1) * size);
    sent++;
    if (sent >= DRIBBLE_PIECES) res.end(piece);
    else {
      res.write(piece);
      setTimeout(next, overMs / DRIBBLE_PIECES);
    }
  };
  res.flushHeaders();
  setTimeout(next, overMs / DRIBBLE_PIECES);
}

export async function startReceiver(script: Script = [{ status: 200 }], options: { record?: boolean } = {}): Promise<Receiver> {
  const record = options.record ?? true;
  const requests: ReceivedRequest[] = [];
  let current = script;
  let seen = 0;
  const waiters = new Set<() => void>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAt: Date.now(),
      };
      const index = seen++;
      if (record) requests.push(request);
      const answer = typeof current === "function" ? current(request, index) : at(current, Math.min(index, current.length - 1)); // the last step repeats
      for (const wake of waiters) wake();
      if (answer.hang) return;
      const reply = () => {
        if (answer.reset) {
          req.socket.destroy();
          return;
        }
        const headers = { ...answer.headers, ...(answer.redirectTo ? { location: answer.redirectTo } : {}) };
        res.writeHead(answer.status ?? (answer.redirectTo ? 302 : 200), headers);
        if (answer.dribbleMs) dribble(res, answer.body ?? "", answer.dribbleMs);
        else res.end(answer.body ?? "");
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    setScript(next) {
      current = next;
      seen = 0;
    },
    waitForRequests(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (seen < count) return;
          cleanup();
          resolve(requests);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Expected ${count} request(s), got ${seen} within ${timeoutMs} ms.`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The most requests a receiver held at once, when it answers each after `holdMs`. */
export function maxOverlap(requests: { receivedAt: number }[], holdMs: number) {
  const times = requests.map((request) => request.receivedAt).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let open = 0;
    for (let j = i; j >= 0 && (times[i] ?? 0) - (times[j] ?? 0) < holdMs - 10; j--) open++;
    most = Math.max(most, open);
  }
  return most;
}
