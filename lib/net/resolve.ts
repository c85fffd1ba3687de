// Connect-time half of the SSRF guard: resolve, then accept only public addresses.
import { isIP } from "node:net";
import { lookup as dnsLookup } from "node:dns/promises";
import { isNonEmpty, type NonEmpty } from "@/lib/assert";
import { forbiddenAddressReason, forbiddenHostReason } from "./address";

type ResolvedAddress = { address: string; family: number };
export type LookupFn = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupFn = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export class UnsafeAddressError extends Error {
  constructor(
    readonly hostname: string,
    readonly reason: string,
  ) {
    super(`Refused to connect to ${hostname}: ${reason} address.`);
    this.name = "UnsafeAddressError";
  }
}

/**
 * Resolves a hostname and returns its addresses only if every one is public. Refusing when any
 * address is private stops names that mix a public and a private record.
 */
export async function resolvePublicAddresses(hostname: string, lookup: LookupFn = systemLookup): Promise<NonEmpty<ResolvedAddress>> {
  if (isIP(hostname)) {
    const reason = forbiddenAddressReason(hostname);
    if (reason) throw new UnsafeAddressError(hostname, reason);
    return [{ address: hostname, family: isIP(hostname) }];
  }
  // Judged as the save-time check judges it: "localhost." and "LocalHost" are local names too.
  const nameReason = forbiddenHostReason(hostname.replace(/\.$/, "").toLowerCase());
  if (nameReason) throw new UnsafeAddressError(hostname, nameReason);
  const addresses = await lookup(hostname);
  if (!isNonEmpty(addresses)) throw new UnsafeAddressError(hostname, "unresolvable");
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) throw new UnsafeAddressError(hostname, `resolves to a ${reason}`);
  }
  return addresses;
}
