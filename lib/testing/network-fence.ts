// A fence around the test process's network: every TCP connect and every DNS lookup passes
// through it. Loopback connections go ahead; any other destination is refused before a packet
// leaves and recorded, and names resolve only from a table the test fills. SSRF tests assert that
// the product's own guard refused first (nothing recorded here), and no test can ever reach a
// private or metadata address, whatever the code under test does.
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";

export type ConnectAttempt = { host: string; port: number; allowed: boolean };

export type NetworkFence = {
  /** Fake DNS: name → addresses. Names not listed fail with ENOTFOUND; IP literals and "localhost" resolve as usual. */
  records: Map<string, string[]>;
  /** Every TCP connect attempted while the fence is up, loopback included. */
  attempts: ConnectAttempt[];
  /** Attempts to anything but loopback: each one would have left the machine. */
  refused(): ConnectAttempt[];
  /** Attempts to a loopback port, e.g. a local receiver's. */
  attemptsToPort(port: number): ConnectAttempt[];
  /** Names looked up, in order. */
  lookups: string[];
  uninstall(): void;
};

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const isLoopback = (host: string) => LOOPBACK_NAMES.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

type ConnectOptions = { host?: string; port?: number | string; path?: string };

/** The destination of any of net.Socket#connect's call shapes (net.connect passes normalized args). */
function destination(args: unknown[]): ConnectOptions {
  const [first, second] = args;
  if (Array.isArray(first)) return destination(first);
  if (typeof first === "object" && first !== null) return first as ConnectOptions;
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return { port: first, host: typeof second === "string" ? second : undefined };
  }
  return { path: typeof first === "string" ? first : undefined };
}

const notFound = (hostname: string) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (test network fence)`), { code: "ENOTFOUND", hostname });

type LookupAll = { address: string; family: number }[];

export function installNetworkFence(): NetworkFence {
  const records = new Map<string, string[]>();
  const attempts: ConnectAttempt[] = [];
  const lookups: string[] = [];

  const socketProto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => net.Socket };
  const originalConnect = socketProto.connect;
  socketProto.connect = function fencedConnect(this: net.Socket, ...args: unknown[]) {
    const { host = "localhost", port, path } = destination(args);
    if (path !== undefined) return originalConnect.apply(this, args); // a Unix socket never leaves the machine
    const allowed = isLoopback(host);
    attempts.push({ host, port: Number(port), allowed });
    if (allowed) return originalConnect.apply(this, args);
    process.nextTick(() =>
      this.destroy(
        Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (blocked by the test network fence)`), { code: "ECONNREFUSED" }),
      ),
    );
    return this;
  };

  const resolveFake = (hostname: string): LookupAll | null => {
    if (net.isIP(hostname)) return [{ address: hostname, family: net.isIP(hostname) }]; // as getaddrinfo does
    lookups.push(hostname);
    const addresses = records.get(hostname.toLowerCase());
    return addresses ? addresses.map((address) => ({ address, family: net.isIP(address) })) : null;
  };

  const promises = dns.promises as unknown as { lookup: (hostname: string, options?: unknown) => Promise<unknown> };
  const originalPromiseLookup = promises.lookup;
  promises.lookup = async (hostname: string, options?: unknown) => {
    if (hostname === "localhost") return originalPromiseLookup(hostname, options);
    const found = resolveFake(hostname);
    if (!found) throw notFound(hostname);
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
    return all ? found : found[0];
  };

  type Callback = (error: Error | null, address?: string | LookupAll, family?: number) => void;
  const callbackDns = dns as unknown as { lookup: (hostname: string, ...rest: unknown[]) => void };
  const originalLookup = callbackDns.lookup;
  callbackDns.lookup = (hostname: string, ...rest: unknown[]) => {
    if (hostname === "localhost") return originalLookup(hostname, ...rest);
    const callback = rest[rest.length - 1] as Callback;
    const options = rest.length > 1 ? rest[0] : undefined;
    const found = resolveFake(hostname);
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
    const primary = found?.[0];
    process.nextTick(() => {
      if (!found) callback(notFound(hostname));
      else if (all) callback(null, found);
      else if (!primary)
        callback(notFound(hostname)); // a name registered with no addresses
      else callback(null, primary.address, primary.family);
    });
  };
  // `import { lookup } from "node:dns/promises"` bindings follow the patched functions.
  syncBuiltinESMExports();

  return {
    records,
    attempts,
    lookups,
    refused: () => attempts.filter((attempt) => !attempt.allowed),
    attemptsToPort: (port) => attempts.filter((attempt) => attempt.port === port),
    uninstall() {
      socketProto.connect = originalConnect;
      promises.lookup = originalPromiseLookup;
      callbackDns.lookup = originalLookup;
      syncBuiltinESMExports();
    },
  };
}
