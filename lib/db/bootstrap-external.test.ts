// prepareDatabase with DATABASE_URL (an external PostgreSQL): the role that URL names is used as
// is (no role split), and a missing SECRETS_KEY is warned about, since a key file per machine
// would leave each machine unable to open what the others sealed.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { resetSecretsKeyCache, secretsKeyFile } from "@/lib/secrets/at-rest";
import { prepareDatabase } from "./bootstrap";

const saved = process.env.SECRETS_KEY;

describe("prepareDatabase with DATABASE_URL", () => {
  afterAll(() => {
    if (saved === undefined) delete process.env.SECRETS_KEY;
    else process.env.SECRETS_KEY = saved;
    resetSecretsKeyCache();
  });

  it("uses the URL's own role, and warns when SECRETS_KEY is unset", async () => {
    const url = process.env.DATABASE_URL!;
    delete process.env.SECRETS_KEY;
    resetSecretsKeyCache();
    const lines: string[] = [];
    const handle = await prepareDatabase({ log: (line) => lines.push(line) });
    expect(handle).toMatchObject({ url, embedded: false, dataDir: null });
    expect(lines.filter((line) => line.includes("SECRETS_KEY is not set"))).toHaveLength(1);

    // The same key as the file's, so rows other files sealed with it still open.
    process.env.SECRETS_KEY = readFileSync(secretsKeyFile(), "utf8");
    resetSecretsKeyCache();
    lines.length = 0;
    await prepareDatabase({ log: (line) => lines.push(line) });
    expect(lines.some((line) => line.includes("SECRETS_KEY"))).toBe(false);
  });
});
