import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

// One client per process; Next.js dev reloads modules, so it lives on globalThis.
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

function createClient() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: start the console with `npm start`.");
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 20 }) });
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  // Created on first use so that importing a module never needs a database (e.g. `next build`).
  get(_target, property) {
    globalForPrisma.prisma ??= createClient();
    const value = Reflect.get(globalForPrisma.prisma, property);
    return typeof value === "function" ? value.bind(globalForPrisma.prisma) : value;
  },
});

export type { PrismaClient };
export { Prisma } from "./generated/client";
