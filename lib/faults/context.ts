// The fault files' service context: each file starts its own embedded PostgreSQL in a beforeAll
// (scenario.ts), so the context is installed there, once its URL is known, and read through this.
import { appContext, createContext, installContext, type AppContext } from "@/lib/context";

export function installFaultContext(databaseUrl: string): AppContext {
  return installContext(createContext({ databaseUrl }));
}

export const faultContext = (): AppContext => appContext();
