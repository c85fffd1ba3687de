// The test file's service context: built and installed by the setup file (worker-database.ts) on
// the file's own database, before the file is imported. Tests pass `ctx` to services and read the
// database through `db`/`query`; `configure` changes settings for a test instead of process.env.
import { appContext } from "@/lib/context";
import { parseConfig } from "@/lib/config";
import { createSender } from "@/lib/delivery/http";

export const ctx = appContext();
export const db = ctx.db;
export const query = ctx.query;
export const pool = ctx.pool;

/** The environment the context was built from (vitest's `env` included), without per-test changes. */
const baseEnv = { ...process.env };

/** The per-test settings in force (configure merges into them). */
let overrides: Record<string, string | undefined> = {};

/**
 * Changes settings for the tests that follow: the base environment plus every change so far plus
 * `changes` (undefined removes a variable), and a new sender when its settings change. Returns the
 * function that goes back to the settings before this call.
 */
export function configure(changes: Record<string, string | undefined>): () => void {
  const previous = overrides;
  apply({ ...overrides, ...changes });
  return () => apply(previous);
}

function apply(next: Record<string, string | undefined>) {
  overrides = next;
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const [name, value] of Object.entries(next)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const before = ctx.config;
  ctx.config = parseConfig(env);
  if (before.ALLOW_LOCAL_ENDPOINTS !== ctx.config.ALLOW_LOCAL_ENDPOINTS || before.DELIVERY_TIMEOUT_MS !== ctx.config.DELIVERY_TIMEOUT_MS) {
    void ctx.sender.close();
    ctx.sender = createSender({ allowLocal: ctx.config.ALLOW_LOCAL_ENDPOINTS, timeoutMs: ctx.config.DELIVERY_TIMEOUT_MS });
  }
}
