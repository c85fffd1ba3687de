// Signing keys encrypted at rest (issue 11): AES-256-GCM under SECRETS_KEY, so a database dump or
// backup does not hand out every webhook's key. Stored form: `enc:v1:<key id>:<iv>:<ciphertext+tag>`
// (base64url), the key id naming which SECRETS_KEY sealed it. SECRETS_KEY_PREVIOUS opens values
// sealed before a rotation; `resealSecretsAtRest` (run on every start) re-seals them, and seals rows
// still in plaintext (written before encryption, or by a script), under the current key.
// Without SECRETS_KEY the key lives in `<DATA_DIR>/secrets.key` (generated on first use, mode 600):
// right for the embedded database and one machine; several machines need the same SECRETS_KEY.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
// The key file's path is only known at run time: the turbopackIgnore comments keep the build from
// tracing the whole project for these calls.
import path from "node:path";
import { z } from "zod";
import type { Query } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";

const PREFIX = "enc:v1:";
type Key = { id: string; bytes: Buffer };

/** 32 bytes from base64/base64url (44 or 43 characters) or hex (64 characters). */
function parseKey(value: string, name: string): Key {
  const text = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (bytes.length !== 32) throw new Error(`${name} must be 32 random bytes, base64 or hex (e.g. \`openssl rand -base64 32\`).`);
  return { id: createHash("sha256").update(bytes).digest("hex").slice(0, 8), bytes };
}

/** `opened`: plaintexts by stored value, so the worker does not decrypt a hook's key for every delivery. */
type Ring = { current: Key; all: Key[]; source: string; opened: Map<string, string> };
const globalForSecrets = globalThis as unknown as { secretsRing?: Ring; secretsKeyFile?: string };

/** The key file: the one adopted from the embedded database (below), else `<DATA_DIR>/secrets.key`. */
export const secretsKeyFile = () => globalForSecrets.secretsKeyFile ?? path.resolve(process.env.DATA_DIR ?? ".data", "secrets.key");

/**
 * A process pointed at an embedded database by DATABASE_URL alone (`npm run worker` next to
 * `npm start`, with another DATA_DIR or none) has no key file of its own; making one would leave it
 * unable to open a single signing key. The embedded layout keeps PostgreSQL's data in
 * `<DATA_DIR>/pg`, so the server that sealed them keeps its key one level up: use that file when
 * the database says where it is (superuser connections only) and this process has none. Only the
 * path comes from the database, never the key.
 */
const dataDirectoryRowSchema = z.object({ dir: z.string() });
const signingKeysRowSchema = z.object({ id: z.string(), signingKey: z.string(), previousSigningKey: z.string().nullable() });

export async function adoptEmbeddedSecretsKey(query: Query): Promise<string | null> {
  if (process.env.SECRETS_KEY || existsSync(/*turbopackIgnore: true*/ secretsKeyFile())) return null;
  const found = await query(`SELECT current_setting('data_directory') AS dir`).catch(() => []);
  const dir = rowsOf(dataDirectoryRowSchema, found, "the data directory")[0]?.dir;
  if (!dir || path.basename(dir) !== "pg") return null;
  const file = path.join(path.dirname(dir), "secrets.key");
  if (!existsSync(/*turbopackIgnore: true*/ file)) return null;
  globalForSecrets.secretsKeyFile = file;
  globalForSecrets.secretsRing = undefined;
  return file;
}

/** A delivery thread opens keys with its process's key file (lib/delivery/threads.ts). */
export function adoptSecretsKeyFile(file: string) {
  globalForSecrets.secretsKeyFile = file;
  globalForSecrets.secretsRing = undefined;
}

function keyFromFile(): string {
  const file = secretsKeyFile();
  try {
    return readFileSync(/*turbopackIgnore: true*/ file, "utf8");
  } catch {
    mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
    // Written whole under a name of its own, then linked into place: of two processes starting at
    // once, one links and both read the same key. (Created with "wx" and then written, the file
    // was empty for a moment, and a worker starting beside another read it so and failed.)
    const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(/*turbopackIgnore: true*/ draft, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    try {
      linkSync(/*turbopackIgnore: true*/ draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      rmSync(/*turbopackIgnore: true*/ draft, { force: true });
    }
    return readFileSync(/*turbopackIgnore: true*/ file, "utf8");
  }
}

function ring(): Ring {
  if (!globalForSecrets.secretsRing) {
    const fromEnv = process.env.SECRETS_KEY;
    const current = parseKey(fromEnv || keyFromFile(), "SECRETS_KEY");
    const previous = process.env.SECRETS_KEY_PREVIOUS ? [parseKey(process.env.SECRETS_KEY_PREVIOUS, "SECRETS_KEY_PREVIOUS")] : [];
    globalForSecrets.secretsRing = {
      current,
      all: [current, ...previous],
      source: fromEnv ? "SECRETS_KEY" : secretsKeyFile(),
      opened: new Map(),
    };
  }
  return globalForSecrets.secretsRing;
}

/** Tests change SECRETS_KEY between cases. */
export function resetSecretsKeyCache() {
  globalForSecrets.secretsRing = undefined;
  globalForSecrets.secretsKeyFile = undefined;
}

/** Where the current key comes from (for the start-up log line): "SECRETS_KEY" or the key file. */
export const secretsKeySource = () => ring().source;

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

export function sealSecret(plain: string): string {
  const { current } = ring();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.bytes, iv);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${current.id}:${iv.toString("base64url")}:${sealed.toString("base64url")}`;
}

/** The plaintext of a stored secret; a row not sealed yet (before the start-up reseal) as it is. */
export function openSecret(stored: string): string {
  if (!isSealed(stored)) return stored;
  // Per ring: a changed SECRETS_KEY (a new ring) must not open what the old one did.
  const { all, opened } = ring();
  const known = opened.get(stored);
  if (known !== undefined) return known;
  const plain = decrypt(stored, all);
  // Bounded (every hook's current and previous key fit many times over); emptied when full.
  if (opened.size >= OPENED_CACHE_SIZE) opened.clear();
  opened.set(stored, plain);
  return plain;
}

const OPENED_CACHE_SIZE = 4_096;

function decrypt(stored: string, all: Key[]): string {
  const [keyId, iv, sealed] = stored.slice(PREFIX.length).split(":");
  const key = all.find((candidate) => candidate.id === keyId);
  if (!key || !iv || !sealed) {
    throw new Error(
      `A signing key is sealed with secrets key ${keyId}, which is not configured (set SECRETS_KEY, or SECRETS_KEY_PREVIOUS during a rotation).`,
    );
  }
  const bytes = Buffer.from(sealed, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
}

/**
 * A hook row's signing keys in plaintext: the one place stored keys are opened, for the API's
 * hook output, test payloads and the worker's claims alike.
 */
export function openSigningKeys<T extends { signingKey: string; previousSigningKey?: string | null }>(row: T): T {
  return {
    ...row,
    signingKey: openSecret(row.signingKey),
    ...(row.previousSigningKey ? { previousSigningKey: openSecret(row.previousSigningKey) } : {}),
  };
}

/** Seals plaintext signing keys and re-seals those under a previous key; returns the rows changed. */
export async function resealSecretsAtRest(query: Query): Promise<number> {
  const { current } = ring();
  const sealedNow = `${PREFIX}${current.id}:%`;
  const rows = rowsOf(
    signingKeysRowSchema,
    await query(
      `SELECT id, "signingKey", "previousSigningKey" FROM "Hook"
       WHERE "signingKey" NOT LIKE $1 OR ("previousSigningKey" IS NOT NULL AND "previousSigningKey" NOT LIKE $1)`,
      [sealedNow],
    ),
    "the keys to seal",
  );
  for (const row of rows) {
    const open = openSigningKeys(row);
    // Only if unchanged meanwhile (a rotation between the read and this write keeps its new key).
    await query(
      `UPDATE "Hook" SET "signingKey" = $2, "previousSigningKey" = $3
       WHERE id = $1 AND "signingKey" = $4 AND "previousSigningKey" IS NOT DISTINCT FROM $5`,
      [
        row.id,
        sealSecret(open.signingKey),
        open.previousSigningKey ? sealSecret(open.previousSigningKey) : null,
        row.signingKey,
        row.previousSigningKey,
      ],
    );
  }
  return rows.length;
}
