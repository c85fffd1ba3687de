// prepareDatabase with DATABASE_URL (an external PostgreSQL): the role that URL names is used as
// is (no role split), and a missing SECRETS_KEY is warned about, since a key file per machine
// would leave each machine unable to open what the others sealed.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { first } from "@/lib/assert";
import { ctx, query } from "@/lib/testing/context";
import { afterAll, describe, expect, it } from "vitest";
import { openSecret, resetSecretsKeyCache, sealSecret, secretsKeyFile } from "@/lib/secrets/at-rest";
import { resetDatabase } from "@/lib/testing/reset";
import { prepareDatabase } from "./bootstrap";

const saved = process.env.SECRETS_KEY;
const savedDataDir = process.env.DATA_DIR;

describe("prepareDatabase with DATABASE_URL", () => {
  afterAll(() => {
    if (saved === undefined) delete process.env.SECRETS_KEY;
    else process.env.SECRETS_KEY = saved;
    if (savedDataDir === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = savedDataDir;
    resetSecretsKeyCache();
  });

  it("uses the URL's own role, and warns when SECRETS_KEY is unset", async () => {
    const url = ctx.databaseUrl;
    delete process.env.SECRETS_KEY;
    resetSecretsKeyCache();
    const lines: string[] = [];
    const handle = await prepareDatabase({ databaseUrl: ctx.databaseUrl, log: (line) => lines.push(line) });
    expect(handle).toMatchObject({ url, embedded: false, dataDir: null });
    expect(lines.filter((line) => line.includes("SECRETS_KEY is not set"))).toHaveLength(1);

    // The same key as the file's, so rows other files sealed with it still open.
    process.env.SECRETS_KEY = readFileSync(secretsKeyFile(), "utf8");
    resetSecretsKeyCache();
    lines.length = 0;
    await prepareDatabase({ databaseUrl: ctx.databaseUrl, log: (line) => lines.push(line) });
    expect(lines.some((line) => line.includes("SECRETS_KEY"))).toBe(false);
  });

  it("a process given only DATABASE_URL of an embedded database opens keys with that server's key file, not a new one of its own", async () => {
    // The test server's layout is the embedded one: PostgreSQL's data in <DATA_DIR>/pg.
    const { dir } = first(await query<{ dir: string }>(`SELECT current_setting('data_directory') AS dir`));
    const serverKeyFile = path.join(path.dirname(dir), "secrets.key");
    const hadServerKey = existsSync(serverKeyFile);
    // prepareDatabase reseals every stored signing key: hooks an earlier file on this worker's
    // database sealed with another key would fail it, whatever this test checks.
    await resetDatabase();
    const ownDataDir = mkdtempSync(path.join(os.tmpdir(), "wc-worker-"));
    try {
      // The server's key, and a value it sealed with it.
      delete process.env.SECRETS_KEY;
      process.env.DATA_DIR = path.dirname(dir);
      resetSecretsKeyCache();
      if (!hadServerKey) writeFileSync(serverKeyFile, Buffer.alloc(32, 7).toString("base64"), { mode: 0o600 });
      const sealed = sealSecret("whsec-from-the-server");

      // A worker elsewhere, with a DATA_DIR of its own that has no key file.
      process.env.DATA_DIR = ownDataDir;
      resetSecretsKeyCache();
      const lines: string[] = [];
      await prepareDatabase({ databaseUrl: ctx.databaseUrl, log: (line) => lines.push(line) });
      expect(secretsKeyFile()).toBe(serverKeyFile);
      expect(openSecret(sealed)).toBe("whsec-from-the-server");
      expect(existsSync(path.join(ownDataDir, "secrets.key"))).toBe(false);
      expect(lines).toContain(`Signing keys are opened with the embedded database's key file, ${serverKeyFile}.`);
    } finally {
      if (!hadServerKey) rmSync(serverKeyFile, { force: true });
      rmSync(ownDataDir, { recursive: true, force: true });
      resetSecretsKeyCache();
    }
  });
});
