// The app's own role on the embedded database (issue 11): not a superuser, owner of the `public`
// schema and everything in it, nothing more (no CREATEDB, CREATEROLE, replication, RLS bypass, no
// file or program access that superusers get). On every start the bootstrap applies migrations as
// the superuser, then creates or updates this role and hands it every table and type the
// migrations (or earlier versions) created; the app connects as it. DATABASE_URL mode uses
// whatever role that URL names.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { ADVISORY_LOCKS } from "./advisory-locks";
import { rowsOf } from "./rows";

export const APP_ROLE = "webhooks_app";

/** An object in `public` that the role does not own yet; `args` only for a routine. */
const foreignObjectRowSchema = z.object({
  kind: z.enum(["TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE", "TYPE", "ROUTINE"]),
  name: z.string(),
  args: z.string().nullable(),
});

/** The role's password, generated once into the data directory (mode 600) beside the superuser's. */
export function appRolePassword(baseDir: string): string {
  const file = path.join(baseDir, "app-role.json");
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { password: string }).password;
  } catch {
    const password = randomBytes(18).toString("base64url");
    writeFileSync(file, JSON.stringify({ role: APP_ROLE, password }), { mode: 0o600 });
    return password;
  }
}

/** Creates or updates the role and gives it the database's schema; returns its connection URL. */
export async function ensureAppRole(adminUrl: string, database: string, password: string): Promise<string> {
  const target = new URL(adminUrl);
  target.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: target.href });
  await client.connect();
  const role = client.escapeIdentifier(APP_ROLE);
  try {
    // Serialised: two processes starting at once must not both CREATE ROLE.
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCKS.appRole]);
    const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    // Roles are per server, the lock per database: another database's bootstrap may create it first.
    if (!rowCount) {
      await client.query(`CREATE ROLE ${role} LOGIN`).catch((error: { code?: string }) => {
        if (error.code !== "42710" && error.code !== "23505") throw error;
      });
    }
    await client.query(
      `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(password)}`,
    );
    const db = client.escapeIdentifier(database);
    await client.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${role}`);
    await client.query(`ALTER SCHEMA public OWNER TO ${role}`);
    await client.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    // Objects the migrations (run as the superuser) created: tables carry their own sequences and
    // indexes along; views, free-standing sequences, enums and routines are handed over one by one.
    const { rows: found } = await client.query(
      `SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
              c.relname AS name, NULL AS args
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> $1
          AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
       UNION ALL
       SELECT 'TYPE', t.typname, NULL FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype = 'e' AND pg_get_userbyid(t.typowner) <> $1
       UNION ALL
       SELECT 'ROUTINE', p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1`,
      [APP_ROLE],
    );
    for (const { kind, name, args } of rowsOf(foreignObjectRowSchema, found, "the objects to hand over")) {
      const target = `public.${client.escapeIdentifier(name)}${args === null ? "" : `(${args})`}`;
      await client.query(`ALTER ${kind} ${target} OWNER TO ${role}`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCKS.appRole]).catch(() => {});
    await client.end();
  }
  target.username = APP_ROLE;
  target.password = password;
  return target.href;
}
