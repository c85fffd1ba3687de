// Issue 11 item 5, end to end through the start-up every entry point runs (prepareDatabase): on the
// embedded database the app's pool is the non-superuser role, the PostgreSQL child's environment
// holds none of the app's secrets, and a postmaster the supervisor restarts takes the role back.
// (Before: the app connected as the superuser "postgres".)
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "./client";
import { waitFor } from "@/lib/testing/wait";
import { APP_ROLE } from "./app-role";
import { prepareDatabase, type DatabaseHandle } from "./bootstrap";

const dataDir = path.resolve(`.data/bootstrap-test-${process.pid}`);
const SECRETS = {
  ADMIN_PASSWORD: "a-secret-admin-password-41",
  API_KEY: "whc_bootstrap_env_key_value",
  SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
};
const saved = { ...process.env };
let handle: DatabaseHandle;
// The app's connections to the embedded database, as an entry point opens them on `handle.url`.
let database: Database;
const query: Database["query"] = (text, values) => database.query(text, values);
let lost: Error | null = null;

const postmasterPid = () => Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);

describe("prepareDatabase on the embedded database", () => {
  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    delete process.env.DATABASE_URL;
    Object.assign(process.env, SECRETS);
    handle = await prepareDatabase({ dataDir, onDatabaseLost: (error) => (lost = error) });
    database = openDatabase(handle.url);
  }, 180_000);
  afterAll(async () => {
    await database?.close();
    await handle?.stop();
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("the app's pool connects as the non-superuser role that owns the schema", async () => {
    expect(handle.embedded).toBe(true);
    expect(new URL(handle.url).username).toBe(APP_ROLE);
    // The caller builds its context on the URL it is given: the environment is left as it was.
    expect(process.env.DATABASE_URL).toBeUndefined();
    const [me] = await query<{ user: string; rolsuper: boolean }>(
      "SELECT current_user AS user, rolsuper FROM pg_roles WHERE rolname = current_user",
    );
    expect(me).toEqual({ user: APP_ROLE, rolsuper: false });
    const owners = await query<{ owner: string }>(`SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`);
    expect(owners.map((row) => row.owner)).toEqual([APP_ROLE]);
    expect((await query<{ n: string }>(`SELECT count(*) AS n FROM "_prisma_migrations"`))[0]?.n).not.toBe("0");
  });

  it("the PostgreSQL child's environment holds none of the app's variables", () => {
    const environ = readFileSync(`/proc/${postmasterPid()}/environ`, "utf8").split("\0");
    const names = environ.map((entry) => entry.split("=")[0]);
    for (const name of [...Object.keys(SECRETS), "DATABASE_URL"]) expect(names).not.toContain(name);
    for (const value of Object.values(SECRETS)) expect(environ.join("\n")).not.toContain(value);
  });

  it("a postmaster killed under the app is restarted by the supervisor and the role works again", async () => {
    const first = postmasterPid();
    process.kill(first, "SIGKILL");
    await waitFor(async () => {
      try {
        return postmasterPid() !== first && (await query<{ user: string }>("SELECT current_user AS user"))[0]?.user === APP_ROLE;
      } catch {
        return false;
      }
    }, 60_000);
    expect(lost).toBeNull();
  }, 90_000);
});
