// Issue 11 item 5: the app connects to the embedded database as a non-superuser role that owns its
// schema (the old code connected as the superuser "postgres").
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { APP_ROLE, ensureAppRole } from "./app-role";
import { applyMigrations, dropDatabase, ensureDatabase } from "./migrate";
import { ctx } from "@/lib/testing/context";

// The test server's superuser, as the embedded bootstrap has it.
const adminUrl = (() => {
  const url = new URL(ctx.databaseUrl);
  url.pathname = "/postgres";
  return url.href;
})();
const PASSWORD = "app-role-test-password";
const created: string[] = [];

async function freshDatabase() {
  const name = `wc_approle_${randomBytes(4).toString("hex")}`;
  await ensureDatabase(adminUrl, name);
  created.push(name);
  return name;
}

async function as<T>(url: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string }) => error.code ?? "error",
  );

describe("the app's database role", () => {
  afterAll(async () => {
    for (const name of created) await dropDatabase(adminUrl, name);
  });

  it("a database migrated by an earlier version as the superuser is handed to the role; the role is no superuser", async () => {
    const name = await freshDatabase();
    const superUrl = new URL(adminUrl);
    superUrl.pathname = `/${name}`;
    await applyMigrations(superUrl.href); // as the old code did
    const appUrl = await ensureAppRole(adminUrl, name, PASSWORD);
    expect(new URL(appUrl).username).toBe(APP_ROLE);
    expect(await applyMigrations(appUrl)).toEqual([]); // migrations run as the role from now on

    await as(appUrl, async (client) => {
      const { rows } = await client.query<{ rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }>(
        "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user",
      );
      expect(rows[0]).toEqual({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
      const owners = await client.query<{ owner: string }>(
        `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
      );
      expect(owners.rows.map((row) => row.owner)).toEqual([APP_ROLE]);
      // The app's work: rows in its tables, and new tables in its schema (future migrations).
      await client.query(`INSERT INTO "SignInThrottle" ("key", "windowStart") VALUES ('k', now())`);
      await client.query(`CREATE TABLE public."FutureMigration" (id int)`);
      // What only a superuser (or more) could do.
      expect(await failure(client.query(`CREATE DATABASE ${name}_other`))).toBe("42501");
      expect(await failure(client.query("COPY (SELECT 1) TO PROGRAM 'true'"))).toBe("42501");
      expect(await failure(client.query("SELECT rolpassword FROM pg_authid"))).toBe("42501");
      expect(await failure(client.query(`CREATE ROLE wc_intruder`))).toBe("42501");
    });
  });

  it("what a later start's migrations create is handed over too; a second start changes nothing else", async () => {
    const name = await freshDatabase();
    const superUrl = new URL(adminUrl);
    superUrl.pathname = `/${name}`;
    await applyMigrations(superUrl.href);
    const appUrl = await ensureAppRole(adminUrl, name, PASSWORD);
    await as(superUrl.href, async (client) => {
      // A new release's migration, as the superuser: a table, a view, a sequence and a function.
      await client.query(`CREATE TABLE public."NewInRelease" (id int)`);
      await client.query(`CREATE VIEW public."NewView" AS SELECT id FROM public."NewInRelease"`);
      await client.query(`CREATE SEQUENCE public."new_seq"`);
      await client.query(`CREATE FUNCTION public.new_fn(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT a'`);
    });
    expect(await ensureAppRole(adminUrl, name, PASSWORD)).toBe(appUrl);
    const owners = await as(appUrl, (client) =>
      client.query<{ owner: string }>(`SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`),
    );
    expect(owners.rows.map((row) => row.owner)).toEqual([APP_ROLE]);
    await as(appUrl, async (client) => {
      await client.query(`INSERT INTO "NewInRelease" VALUES (1)`);
      const others = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> $1
         UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1`,
        [APP_ROLE],
      );
      expect(others.rows).toEqual([]);
      await client.query(`DROP VIEW "NewView"`); // what only its owner may do
      await client.query(`DROP FUNCTION new_fn(int, text)`);
    });
  });
});
