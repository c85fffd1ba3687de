// Endpoint URLs that must never be called: every spelling of loopback, private, link-local and
// metadata addresses we know of, other schemes, and names whose DNS answers point inside.
// `port` lets a send test aim the loopback ones at a local receiver that must see nothing.

export type SsrfVector = {
  label: string;
  url: string;
  /** Fake DNS records the vector needs (name → addresses); empty for IP literals and local names. */
  dns?: Record<string, string[]>;
};

export function ssrfVectors(port: number): SsrfVector[] {
  const p = `:${port}`;
  return [
    // IPv4 loopback spelled the ways URL parsers accept
    { label: "decimal IPv4", url: `https://2130706433${p}/hook` },
    { label: "octal IPv4", url: `https://0177.0.0.1${p}/hook` },
    { label: "hex IPv4", url: `https://0x7f000001${p}/hook` },
    { label: "short IPv4 (127.1)", url: `https://127.1${p}/hook` },
    { label: "mixed hex/octal dotted IPv4", url: `https://0x7f.0.0.01${p}/hook` },
    { label: "full-width digits", url: `https://１２７.０.０.１${p}/hook` },
    { label: "backslash authority", url: `https:\\\\127.0.0.1${p}/hook` },
    { label: "plain loopback", url: `https://127.0.0.1${p}/hook` },
    { label: "other 127/8 address", url: `https://127.53.0.9${p}/hook` },
    // IPv6 and IPv4-in-IPv6
    { label: "IPv6 loopback", url: `https://[::1]${p}/hook` },
    { label: "IPv6 loopback, long form", url: `https://[0:0:0:0:0:0:0:1]${p}/hook` },
    { label: "IPv4-mapped IPv6, dotted", url: `https://[::ffff:127.0.0.1]${p}/hook` },
    { label: "IPv4-mapped IPv6, hex", url: `https://[::ffff:7f00:1]${p}/hook` },
    { label: "IPv4-compatible IPv6", url: `https://[::127.0.0.1]${p}/hook` },
    { label: "IPv4-mapped metadata", url: "https://[::ffff:a9fe:a9fe]/latest/meta-data" },
    { label: "NAT64 metadata", url: "https://[64:ff9b::a9fe:a9fe]/latest/meta-data" },
    { label: "6to4 metadata", url: "https://[2002:a9fe:a9fe::]/latest/meta-data" },
    { label: "IPv4-translated (SIIT) loopback", url: `https://[::ffff:0:7f00:1]${p}/hook` },
    { label: "local-use NAT64 loopback", url: `https://[64:ff9b:1::7f00:1]${p}/hook` },
    { label: "Teredo", url: `https://[2001::1]${p}/hook` },
    { label: "6to4, public IPv4 inside", url: `https://[2002:808:808::1]${p}/hook` },
    // unspecified addresses (reach the local host on most systems)
    { label: "0.0.0.0", url: `https://0.0.0.0${p}/hook` },
    { label: "bare 0", url: `https://0${p}/hook` },
    { label: "IPv6 unspecified", url: `https://[::]${p}/hook` },
    // local host names
    { label: "localhost", url: `https://localhost${p}/hook` },
    { label: "LOCALHOST", url: `https://LOCALHOST${p}/hook` },
    { label: "localhost with trailing dot", url: `https://localhost.${p}/hook` },
    { label: "subdomain of localhost", url: `https://foo.localhost${p}/hook` },
    { label: "localhost.localdomain", url: `https://localhost.localdomain${p}/hook` },
    { label: "enclosed-alphanumeric localhost", url: `https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ${p}/hook` },
    { label: "GCP metadata name", url: "https://metadata.google.internal/computeMetadata/v1/" },
    // userinfo and fragment tricks
    { label: "userinfo before a loopback host", url: `https://example.com@127.0.0.1${p}/hook` },
    { label: "fragment hiding the real host", url: `https://127.0.0.1${p}#@example.com` },
    { label: "credentials on a public host", url: "https://user:pass@example.com/hook" },
    // cloud metadata
    { label: "AWS/GCP/Azure metadata", url: "https://169.254.169.254/latest/meta-data/" },
    { label: "metadata, trailing dot", url: "https://169.254.169.254./latest/meta-data/" },
    { label: "metadata, decimal", url: "https://2852039166/latest/meta-data/" },
    { label: "metadata, hex", url: "https://0xa9fea9fe/latest/meta-data/" },
    { label: "AWS IPv6 metadata", url: "https://[fd00:ec2::254]/latest/meta-data/" },
    { label: "IPv6 link-local", url: "https://[fe80::1]/hook" },
    // private ranges
    { label: "10/8", url: "https://10.0.0.1/hook" },
    { label: "172.16/12, low end", url: "https://172.16.0.1/hook" },
    { label: "172.16/12, high end", url: "https://172.31.255.254/hook" },
    { label: "192.168/16", url: "https://192.168.1.1/hook" },
    { label: "100.64/10 CGNAT", url: "https://100.64.0.1/hook" },
    { label: "IPv6 unique-local", url: "https://[fd12:3456::1]/hook" },
    { label: "IPv4 multicast", url: "https://224.0.0.251/hook" },
    { label: "IPv6 multicast", url: "https://[ff02::1]/hook" },
    { label: "broadcast", url: "https://255.255.255.255/hook" },
    // schemes
    { label: "plain http", url: "http://example.com/hook" },
    { label: "http to loopback", url: `http://127.0.0.1${p}/hook` },
    { label: "file:", url: "file:///etc/passwd" },
    { label: "gopher:", url: `gopher://127.0.0.1${p}/_POST%20/hook` },
    { label: "ftp:", url: "ftp://example.com/hook" },
    { label: "data:", url: "data:text/plain,hello" },
    { label: "javascript:", url: "javascript:alert(1)" },
    // DNS names answering with inside addresses (served by the injected resolver)
    { label: "DNS → loopback", url: `https://loopback.rebind.example${p}/hook`, dns: { "loopback.rebind.example": ["127.0.0.1"] } },
    {
      label: "DNS → metadata",
      url: "https://metadata.rebind.example/latest/meta-data/",
      dns: { "metadata.rebind.example": ["169.254.169.254"] },
    },
    { label: "DNS → 10/8", url: "https://private.rebind.example/hook", dns: { "private.rebind.example": ["10.0.0.7"] } },
    {
      label: "DNS → public and private",
      url: "https://mixed.rebind.example/hook",
      dns: { "mixed.rebind.example": ["93.184.215.14", "192.168.0.10"] },
    },
    { label: "DNS → IPv6 loopback", url: `https://v6.rebind.example${p}/hook`, dns: { "v6.rebind.example": ["::1"] } },
    {
      label: "DNS → IPv4-mapped metadata",
      url: "https://mapped.rebind.example/hook",
      dns: { "mapped.rebind.example": ["::ffff:169.254.169.254"] },
    },
    { label: "DNS → AWS IPv6 metadata", url: "https://ec2v6.rebind.example/hook", dns: { "ec2v6.rebind.example": ["fd00:ec2::254"] } },
    {
      label: "DNS → CGNAT (Alibaba metadata)",
      url: "https://cgnat.rebind.example/hook",
      dns: { "cgnat.rebind.example": ["100.100.100.200"] },
    },
    {
      label: "nip.io-style name → loopback",
      url: `https://127.0.0.1.nip.example${p}/hook`,
      dns: { "127.0.0.1.nip.example": ["127.0.0.1"] },
    },
  ];
}

/** Loads every vector's fake records into a resolver table. */
export function loadVectorDns(records: Map<string, string[]>, vectors: SsrfVector[]) {
  for (const vector of vectors) for (const [name, addresses] of Object.entries(vector.dns ?? {})) records.set(name, addresses);
}
