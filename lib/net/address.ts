// Which endpoint addresses we refuse to call (SSRF): checked on save against the URL and again
// at connect time against every resolved address, so DNS rebinding cannot slip through.
// Pure TypeScript on purpose (no node: imports): the shared hook schema runs it in the browser.

import { at } from "@/lib/assert";

type Range = { bytes: number[]; prefix: number; reason: string };

const IPV4_RANGES: [string, number, string][] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local / cloud metadata"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

const IPV6_RANGES: [string, number, string][] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["100::", 64, "discard"],
  ["2001:db8::", 32, "documentation"],
  // Translation and tunnelling ranges that reach IPv4 hosts we cannot judge from the address
  // (Teredo obfuscates its client, 6to4 relays and local-use NAT64 map as their operator decides).
  ["::ffff:0:0:0", 96, "IPv4-translated (SIIT)"],
  ["64:ff9b:1::", 48, "local-use NAT64"],
  ["2001::", 32, "Teredo"],
  ["2002::", 16, "6to4"],
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

/**
 * IPv6 prefixes that stand for exactly one IPv4 host; such addresses are judged by that address.
 * The well-known NAT64 prefix is what DNS64 answers on IPv6-only networks for public IPv4 names,
 * so a public IPv4 behind it stays deliverable; a private or loopback one is refused.
 */
const EMBEDDING_PREFIXES: { network: string; prefix: number; offset: number }[] = [
  { network: "::ffff:0:0", prefix: 96, offset: 12 }, // IPv4-mapped
  { network: "64:ff9b::", prefix: 96, offset: 12 }, // NAT64 (well-known prefix)
  { network: "::", prefix: 96, offset: 12 }, // IPv4-compatible (deprecated)
];

const DECIMAL_OCTET = /^(?:0|[1-9]\d{0,2})$/;

/** Strict dotted-quad IPv4 (no leading zeros, like node's isIP), as 4 bytes; null otherwise. */
export function parseIpv4(value: string): number[] | null {
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return null;
    const byte = Number(part);
    if (byte > 255) return null;
    bytes.push(byte);
  }
  return bytes;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function parseGroups(text: string, endsAddress: boolean): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const bytes: number[] = [];
  for (const [index, part] of parts.entries()) {
    // A dotted IPv4 tail is allowed as the very last part of the address only.
    if (endsAddress && index === parts.length - 1 && part.includes(".")) {
      const v4 = parseIpv4(part);
      if (!v4) return null;
      bytes.push(...v4);
      continue;
    }
    if (!HEX_GROUP.test(part)) return null;
    const group = parseInt(part, 16);
    bytes.push(group >> 8, group & 255);
  }
  return bytes;
}

/** IPv6 text form (with optional "::", IPv4 tail and zone id), as 16 bytes; null otherwise. */
export function parseIpv6(value: string): number[] | null {
  const address = value.replace(/%[^%]+$/, "");
  if (!address.includes(":")) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const [before = "", after] = halves;
  const head = parseGroups(before, after === undefined);
  const tail = after === undefined ? [] : parseGroups(after, true);
  if (!head || !tail) return null;
  if (after === undefined) return head.length === 16 ? head : null;
  // "::" stands for at least one group of zeros.
  const missing = 16 - head.length - tail.length;
  if (missing < 2) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** 4 or 6 for an IP literal, 0 otherwise: the browser-safe stand-in for node's isIP. */
export function ipVersion(value: string): 0 | 4 | 6 {
  if (parseIpv4(value)) return 4;
  if (parseIpv6(value)) return 6;
  return 0;
}

function inPrefix(bytes: number[], network: number[], prefix: number) {
  const whole = Math.floor(prefix / 8);
  for (let i = 0; i < whole; i++) if (bytes[i] !== network[i]) return false;
  const rest = prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  // Callers pass equal-length byte lists and prefix <= 8 * length, so a partial byte is in range.
  return (at(bytes, whole) & mask) === (at(network, whole) & mask);
}

const toRanges = (list: [string, number, string][], parse: (ip: string) => number[] | null): Range[] =>
  list.map(([network, prefix, reason]) => ({ bytes: parse(network)!, prefix, reason }));

const V4 = toRanges(IPV4_RANGES, parseIpv4);
const V6 = toRanges(IPV6_RANGES, parseIpv6);
const IPV4_MAPPED = parseIpv6("::ffff:0:0")!;
const EMBEDDINGS = EMBEDDING_PREFIXES.map((entry) => ({ ...entry, bytes: parseIpv6(entry.network)! }));

/** An IP literal as bytes (4 for IPv4, 16 for IPv6); an IPv4-mapped IPv6 address as its IPv4. */
export function ipBytes(ip: string): number[] | null {
  const v4 = parseIpv4(ip);
  if (v4) return v4;
  const v6 = parseIpv6(ip);
  if (!v6) return null;
  return inPrefix(v6, IPV4_MAPPED, 96) ? v6.slice(12) : v6;
}

/** Whether an IP literal lies in a CIDR range ("10.0.0.0/8", "::1", "fd00::/8"); false for junk. */
export function inCidr(ip: string, cidr: string): boolean {
  const [network = "", bits] = cidr.split("/");
  const address = ipBytes(ip);
  const range = ipBytes(network);
  if (!address || !range || address.length !== range.length) return false;
  const prefix = bits === undefined ? range.length * 8 : Number(bits);
  return Number.isInteger(prefix) && prefix >= 0 && prefix <= range.length * 8 && inPrefix(address, range, prefix);
}

/** Whether a string is an IP literal or a CIDR range `inCidr` understands. */
export function isCidr(value: string): boolean {
  const [network = "", bits, extra] = value.split("/");
  const range = ipBytes(network);
  if (!range || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= range.length * 8);
}

const reasonIn = (ranges: Range[], bytes: number[]) => ranges.find((range) => inPrefix(bytes, range.bytes, range.prefix))?.reason ?? null;

/** Why an IP literal is not a public unicast address, or null when it is public. */
export function forbiddenAddressReason(ip: string): string | null {
  const v4 = parseIpv4(ip);
  if (v4) return reasonIn(V4, v4);
  const v6 = parseIpv6(ip);
  if (!v6) return "not an IP address";
  const reason = reasonIn(V6, v6);
  if (reason) return reason;
  const embedding = EMBEDDINGS.find((entry) => inPrefix(v6, entry.bytes, entry.prefix));
  return embedding ? reasonIn(V4, v6.slice(embedding.offset, embedding.offset + 4)) : null;
}

const RESERVED_NAMES = [/^localhost$/, /\.localhost$/, /^localhost\.localdomain$/, /\.local$/, /\.internal$/, /^metadata$/];

/** Hostname from a URL, without IPv6 brackets or a trailing dot. */
export function bareHostname(url: URL) {
  return url.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/** Why a hostname (as written in the URL) is not acceptable, before any DNS lookup. */
export function forbiddenHostReason(hostname: string): string | null {
  if (hostname === "") return "missing host";
  if (ipVersion(hostname)) return forbiddenAddressReason(hostname);
  if (RESERVED_NAMES.some((pattern) => pattern.test(hostname))) return "local host name";
  return null;
}
