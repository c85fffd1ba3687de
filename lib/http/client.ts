// Who is on the other end of a request, worked out once by the run command's server from the
// socket: its address, or what a proxy listed in TRUSTED_PROXIES forwarded (X-Forwarded-For,
// -Proto, -Host). Headers a client sends itself are never believed. The server stamps the result
// on the request in internal headers that carry a per-process secret (`stampClient`), so route
// handlers behind Next's router read it back (`clientOf`) and a client cannot forge the stamp.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { appContext } from "@/lib/context";
import { inCidr } from "@/lib/net/address";

export type ClientInfo = {
  /** The client's IP address; "unknown" when the request did not come through our server. */
  address: string;
  /** The scheme the client used to reach us (the trusted proxy's word, else the socket's). */
  proto: "http" | "https";
  /** Host (and port) the client addressed; null when unknown. */
  host: string | null;
  /**
   * The request as it reached our socket said it was forwarded (Forwarded, X-Forwarded-For or
   * X-Real-IP), trusted proxy or not: a proxy on this machine missing from TRUSTED_PROXIES makes
   * every visitor look like 127.0.0.1. Read before Next's router, which adds X-Forwarded-* itself.
   */
  forwarded?: boolean;
};

const ADDRESS = "x-webhook-console-client-address";
const PROTO = "x-webhook-console-client-proto";
const HOST = "x-webhook-console-client-host";
const FORWARDED = "x-webhook-console-client-forwarded";
const STAMP = "x-webhook-console-stamp";
const INTERNAL = [ADDRESS, PROTO, HOST, FORWARDED, STAMP];
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip"];

// On globalThis: the server (loaded by tsx) and Next's bundle each load this module.
const globalForClient = globalThis as unknown as { webhookConsoleStamp?: string };
const stampSecret = () => (globalForClient.webhookConsoleStamp ??= randomBytes(18).toString("base64url"));

type HeaderGet = Pick<Headers, "get">;

const normalise = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
const isTrusted = (address: string, proxies: string[]) => proxies.some((range) => inCidr(address, range));
const lastValue = (value: string | null) => value?.split(",").at(-1)?.trim() || null;

/**
 * The client behind a socket. X-Forwarded-For is read right to left (each proxy appends the
 * address it saw): the first hop that is not a trusted proxy is the client. Proto and host are
 * taken from the nearest proxy's value (the last one), and only when the socket is trusted.
 */
export function resolveClient(
  socketAddress: string | undefined,
  headers: HeaderGet,
  proxies = appContext().config.TRUSTED_PROXIES,
  tls = false,
): ClientInfo {
  const peer = normalise(socketAddress ?? "unknown");
  const ownHost = headers.get("host");
  const forwarded = FORWARDING_HEADERS.some((name) => headers.get(name) !== null);
  if (!isTrusted(peer, proxies)) return { address: peer, proto: tls ? "https" : "http", host: ownHost, forwarded };
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => normalise(hop.trim()))
    .filter(Boolean);
  let address = peer;
  for (const hop of [...hops].reverse()) {
    address = hop;
    if (!isTrusted(address, proxies)) break;
  }
  const proto = lastValue(headers.get("x-forwarded-proto"))?.toLowerCase();
  return {
    address,
    proto: proto === "https" || proto === "http" ? proto : tls ? "https" : "http",
    host: lastValue(headers.get("x-forwarded-host")) ?? ownHost,
    forwarded,
  };
}

/** Headers that carry a client to the route handlers (the server's stamp; tests use it too). */
export function stampHeaders(client: ClientInfo): Record<string, string> {
  return {
    [ADDRESS]: client.address,
    [PROTO]: client.proto,
    [HOST]: client.host ?? "",
    [FORWARDED]: client.forwarded ? "1" : "",
    [STAMP]: stampSecret(),
  };
}

/** Works out the client of a Node request and stamps it, replacing whatever the client sent. */
export function stampClient(req: IncomingMessage): ClientInfo {
  for (const name of INTERNAL) delete req.headers[name];
  const headers: HeaderGet = {
    get: (name) => {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  const client = resolveClient(req.socket.remoteAddress, headers, appContext().config.TRUSTED_PROXIES, tls);
  Object.assign(req.headers, stampHeaders(client));
  return client;
}

/** The stamped client of a request; without a valid stamp, an unknown address and the URL's own scheme and host. */
export function clientOf(req: { url: string; headers: HeaderGet }): ClientInfo {
  const stamp = req.headers.get(STAMP);
  if (stamp && stamp === stampSecret()) {
    return {
      address: req.headers.get(ADDRESS) || "unknown",
      proto: req.headers.get(PROTO) === "https" ? "https" : "http",
      host: req.headers.get(HOST) || null,
      forwarded: req.headers.get(FORWARDED) === "1",
    };
  }
  const url = new URL(req.url);
  return { address: "unknown", proto: url.protocol === "https:" ? "https" : "http", host: req.headers.get("host") ?? url.host };
}

/** The origin the client believes it is talking to: APP_URL when set, else scheme://host as it reached us. */
export function expectedOrigin(req: { url: string; headers: HeaderGet }): string | null {
  const configured = appContext().config.APP_URL;
  if (configured) return configured;
  const client = clientOf(req);
  if (!client.host) return null;
  try {
    return new URL(`${client.proto}://${client.host}`).origin;
  } catch {
    return null;
  }
}
