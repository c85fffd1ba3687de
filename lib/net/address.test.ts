import { describe, expect, it } from "vitest";
import { isIP } from "node:net";
import { bareHostname, forbiddenAddressReason, forbiddenHostReason, inCidr, ipVersion, isCidr } from "./address";
import { resolvePublicAddresses } from "./resolve";

describe("forbiddenAddressReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.10", "private"],
    ["100.100.100.200", "carrier-grade NAT"],
    ["169.254.169.254", "link-local / cloud metadata"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd00:ec2::254", "unique-local"],
    ["fe80::1", "link-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["64:ff9b::a00:1", "private"],
    // IPv6 translation and tunnelling ranges (issue 11): refused whatever IPv4 they carry.
    ["::ffff:0:7f00:1", "IPv4-translated (SIIT)"],
    ["::ffff:0:808:808", "IPv4-translated (SIIT)"],
    ["64:ff9b:1::7f00:1", "local-use NAT64"],
    ["64:ff9b:1:ffff::808:808", "local-use NAT64"],
    ["2001::1", "Teredo"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"],
    ["2002:c0a8:0101::1", "6to4"],
    ["2002:808:808::1", "6to4"],
  ])("refuses %s (%s)", (ip, reason) => {
    expect(forbiddenAddressReason(ip)).toBe(reason);
  });

  it.each(["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("accepts public %s", (ip) => {
    expect(forbiddenAddressReason(ip)).toBeNull();
  });
});

describe("ipVersion (pure parser, so the module runs in the browser)", () => {
  it.each([
    "0.0.0.0",
    "255.255.255.255",
    "1.2.3.4",
    "01.2.3.4",
    "1.2.3.256",
    "1.2.3",
    "1.2.3.4.5",
    " 1.2.3.4",
    "1.2.3.4:80",
    "::",
    "::1",
    "1::",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":1",
    "1:",
    "::ffff:1.2.3.4",
    "1.2.3.4::",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "fe80::1%eth0",
    "12345::",
    "g::1",
    "[::1]",
    "example.com",
    "",
  ])("agrees with node's isIP on %j", (value) => {
    expect(ipVersion(value)).toBe(isIP(value));
  });

  it("judges IPv6 forms embedding a private IPv4 by that address", () => {
    expect(forbiddenAddressReason("::ffff:10.0.0.1")).toBe("private");
    expect(forbiddenAddressReason("::10.0.0.1")).toBe("private");
    expect(forbiddenAddressReason("64:ff9b::8.8.8.8")).toBeNull();
  });
});

describe("hostnames", () => {
  it("normalises the obfuscated IPv4 spellings through the URL parser", () => {
    for (const raw of ["https://2130706433/", "https://0x7f.1/", "https://0177.0.0.1/", "https://127.1/"]) {
      expect(forbiddenHostReason(bareHostname(new URL(raw)))).toBe("loopback");
    }
    expect(forbiddenHostReason(bareHostname(new URL("https://[::1]:8443/x")))).toBe("loopback");
  });

  it.each(["localhost", "api.localhost", "printer.local", "metadata.google.internal"])("refuses %s", (host) => {
    expect(forbiddenHostReason(host)).toBe("local host name");
  });

  it("refuses names that resolve to a private address, and accepts public ones", async () => {
    const lookup = async (host: string) =>
      host === "rebind.example"
        ? [
            { address: "93.184.215.14", family: 4 },
            { address: "127.0.0.1", family: 4 },
          ]
        : [{ address: "93.184.215.14", family: 4 }];
    await expect(resolvePublicAddresses("rebind.example", lookup)).rejects.toThrow(/resolves to a loopback/);
    await expect(resolvePublicAddresses("public.example", lookup)).resolves.toEqual([{ address: "93.184.215.14", family: 4 }]);
  });
});

describe("inCidr (TRUSTED_PROXIES)", () => {
  it.each([
    ["127.0.0.1", "127.0.0.0/8", true],
    ["::ffff:127.0.0.1", "127.0.0.1", true],
    ["10.1.2.3", "10.0.0.0/8", true],
    ["11.1.2.3", "10.0.0.0/8", false],
    ["::1", "::1", true],
    ["fd12::5", "fc00::/7", true],
    ["127.0.0.1", "::1", false],
    ["127.0.0.1", "junk", false],
    ["junk", "127.0.0.1", false],
  ])("%s in %s: %s", (ip, cidr, inside) => {
    expect(inCidr(ip, cidr)).toBe(inside);
  });
  it("validates ranges", () => {
    expect(["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "0.0.0.0/0"].every(isCidr)).toBe(true);
    expect(["10.0.0.0/33", "::/129", "localhost", "10.0.0.0/8/1", "10.0.0.0/x"].some(isCidr)).toBe(false);
  });
});
