// Which endpoint addresses we refuse to call (SSRF): checked on save against the URL and again
// at connect time against every resolved address, so DNS rebinding cannot slip through.
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
const RANGES: [string, number, "ipv4" | "ipv6", string][] = [
  ["0.0.0.0", 8, "ipv4", "unspecified"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["100.64.0.0", 10, "ipv4", "carrier-grade NAT"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local / cloud metadata"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.0.0.0", 24, "ipv4", "IETF protocol assignments"],
  ["192.0.2.0", 24, "ipv4", "documentation"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["198.18.0.0", 15, "ipv4", "benchmarking"],
  ["198.51.100.0", 24, "ipv4", "documentation"],
  ["203.0.113.0", 24, "ipv4", "documentation"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved"],
  ["::", 128, "ipv6", "unspecified"],
  ["::1", 128, "ipv6", "loopback"],
  ["100::", 64, "ipv6", "discard"],
  ["2001:db8::", 32, "ipv6", "documentation"],
  ["fc00::", 7, "ipv6", "unique-local"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["fec0::", 10, "ipv6", "site-local"],
  ["ff00::", 8, "ipv6", "multicast"],
];
for (const [network, prefix, family] of RANGES) blocked.addSubnet(network, prefix, family);

function ipv4ToNumber(ip: string) {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function reasonForIpv4(ip: string) {
  const value = ipv4ToNumber(ip);
  for (const [network, prefix, family, reason] of RANGES) {
    if (family !== "ipv4") continue;
    const size = 2 ** (32 - prefix);
    const start = ipv4ToNumber(network);
    if (value >= start && value < start + size) return reason;
  }
  return null;
}

/** IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are judged by that address. */
function embeddedIpv4(ip: string): string | null {
  const lower = ip.toLowerCase();
  const dotted = lower.match(/^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) return dotted[1];
  const hex = lower.match(/^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (hex) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  const sixToFour = lower.match(/^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/);
  if (sixToFour) {
    const high = parseInt(sixToFour[1], 16);
    const low = parseInt(sixToFour[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  return null;
}

/** Why an IP literal is not a public unicast address, or null when it is public. */
export function forbiddenAddressReason(ip: string): string | null {
  const family = isIP(ip);
  if (family === 4) return reasonForIpv4(ip);
  if (family !== 6) return "not an IP address";
  const inner = embeddedIpv4(ip);
  if (inner && isIP(inner) === 4) {
    const reason = reasonForIpv4(inner);
    if (reason) return reason;
  }
  if (blocked.check(ip, "ipv6")) {
    return RANGES.find(([network, prefix, fam]) => {
      if (fam !== "ipv6") return false;
      const single = new BlockList();
      single.addSubnet(network, prefix, "ipv6");
      return single.check(ip, "ipv6");
    })?.[3] ?? "reserved";
  }
  return null;
}

const RESERVED_NAMES = [/^localhost$/, /\.localhost$/, /^localhost\.localdomain$/, /\.local$/, /\.internal$/, /^metadata$/];

/** Hostname from a URL, without IPv6 brackets or a trailing dot. */
export function bareHostname(url: URL) {
  return url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
}

/** Why a hostname (as written in the URL) is not acceptable, before any DNS lookup. */
export function forbiddenHostReason(hostname: string): string | null {
  if (hostname === "") return "missing host";
  if (isIP(hostname)) return forbiddenAddressReason(hostname);
  if (RESERVED_NAMES.some((pattern) => pattern.test(hostname))) return "local host name";
  return null;
}

