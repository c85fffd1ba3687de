// Prisma CLI configuration. `engine: "js"` runs the WebAssembly schema engine shipped in the
// package, because the native engine download (binaries.prisma.sh) is unreachable offline.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { CliPgAdapter, unrefLongTimers } from "./prisma/cli-adapter";

unrefLongTimers();

const databaseUrl = process.env.DATABASE_URL;
// schema.prisma's env("DATABASE_URL") must resolve even for `prisma generate`, or the CLI tries
// to download the native query engine. The adapter ignores it, so a placeholder is enough.
process.env.DATABASE_URL ??= "postgresql://localhost/unused";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    if (!databaseUrl) throw new Error("DATABASE_URL is not set (start the console once, or export one)");
    return new CliPgAdapter(databaseUrl);
  },
});
