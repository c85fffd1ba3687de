// Database start-up shared by the console, the worker and scripts: DATABASE_URL when set,
// otherwise the embedded PostgreSQL in .data/; migrations applied every time (idempotent).
import path from "node:path";
import { appRolePassword, ensureAppRole } from "./app-role";
import { adoptEmbeddedSecretsKey, resealSecretsAtRest, secretsKeyFile, secretsKeySource } from "../secrets/at-rest";
import { openDatabase } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { applyMigrations, ensureDatabase } from "./migrate";

/** `dataDir`: the embedded server's data directory; null with DATABASE_URL. */
export type DatabaseHandle = { url: string; embedded: boolean; dataDir: string | null; stop(): Promise<void> };

export const EMBEDDED_DATABASE_NAME = "webhooks";

/**
 * `onDatabaseLost`: the embedded server died and could not be restarted (after its backoff); the
 * caller should stop and exit non-zero. Without it a dead embedded server is not restarted.
 */
export async function prepareDatabase(
  options: { databaseUrl?: string; dataDir?: string; log?: (line: string) => void; onDatabaseLost?: (error: Error) => void } = {},
) {
  const log = options.log ?? (() => {});
  let handle: DatabaseHandle;
  const external = options.databaseUrl ?? process.env.DATABASE_URL;
  if (external) {
    handle = { url: external, embedded: false, dataDir: null, stop: async () => {} };
  } else {
    const dataDir = path.resolve(options.dataDir ?? process.env.DATA_DIR ?? ".data");
    log(`Starting embedded PostgreSQL (data in ${dataDir})…`);
    const supervise = options.onDatabaseLost ? { onGiveUp: options.onDatabaseLost } : undefined;
    const server = await startEmbeddedPostgres({ baseDir: dataDir, supervise });
    await ensureDatabase(server.adminUrl, EMBEDDED_DATABASE_NAME);
    // Migrations as the superuser (the first one creates the schema, which takes CREATE on the
    // database), then everything is handed to the app's role, which the app connects as: not a
    // superuser, owner of its schema and nothing more (lib/db/app-role.ts).
    const applied = await applyMigrations(server.urlFor(EMBEDDED_DATABASE_NAME));
    if (applied.length > 0) log(`Applied ${applied.length} migration(s): ${applied.join(", ")}`);
    const url = await ensureAppRole(server.adminUrl, EMBEDDED_DATABASE_NAME, appRolePassword(dataDir));
    handle = { url, embedded: true, dataDir, stop: server.stop };
  }
  // Signing keys in plaintext (older rows, scripts) or under a previous SECRETS_KEY: sealed now.
  // On a pool of its own, closed again: the entry point opens its context on `handle.url` next.
  const database = openDatabase(handle.url);
  if (!handle.embedded) {
    const applied = await applyMigrations(handle.url);
    if (applied.length > 0) log(`Applied ${applied.length} migration(s): ${applied.join(", ")}`);
    const adopted = await adoptEmbeddedSecretsKey(database.query);
    if (adopted) log(`Signing keys are opened with the embedded database's key file, ${adopted}.`);
    // A shared database is often used from several machines; each would make its own key file and
    // could not open what the others sealed.
    if (!process.env.SECRETS_KEY) {
      log(
        `Warning: SECRETS_KEY is not set, so webhook signing keys are encrypted with the key in ${secretsKeyFile()}. ` +
          "Every process on every machine using this database needs the same key: set SECRETS_KEY (README, Security).",
      );
    }
  }
  const resealed = await resealSecretsAtRest(database.query).finally(() => database.close());
  if (resealed > 0) log(`Encrypted ${resealed} webhook signing key(s) at rest (key: ${secretsKeySource()}).`);
  return handle;
}
