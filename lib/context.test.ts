// Services run with the context they are given (lib/context.ts): its database, its settings and
// its clock, never a process-wide default. Two contexts on two databases in one process stay apart.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext, type AppContext } from "@/lib/context";
import { parseConfig } from "@/lib/config";
import { emit } from "@/lib/events/service";
import { createHook, listHooks, serverSchemaOptions } from "@/lib/hooks/service";
import { ctx } from "@/lib/testing/context";
import { resetDatabase } from "@/lib/testing/reset";

const FIXED = new Date("2026-03-04T05:06:07.000Z");
let other: AppContext;

/** A second copy of the migrated template, next to this worker's own database. */
async function secondDatabase(): Promise<string> {
  const url = new URL(ctx.databaseUrl);
  const name = `${url.pathname.slice(1)}_b`;
  const template = new URL(process.env.WC_TEST_TEMPLATE_URL ?? "").pathname.slice(1);
  const admin = new URL(ctx.databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(async () => {
  await resetDatabase();
  other = createContext({
    databaseUrl: await secondDatabase(),
    config: parseConfig({ ...process.env, ALLOW_LOCAL_ENDPOINTS: "false" }),
    clock: { now: () => FIXED },
  });
  await other.db.$executeRawUnsafe(`TRUNCATE "Delivery", "Event", "Hook" RESTART IDENTITY CASCADE`);
});

afterAll(async () => {
  await other?.close();
});

describe("a service context", () => {
  it("keeps services on its own database: a hook made in one is not seen, matched or queued in the other", async () => {
    const hook = await createHook(ctx, { name: "here", events: ["User.Created"], config: { url: "http://127.0.0.1:9/hook", headers: [] } });
    expect((await listHooks(ctx)).items.map((item) => item.id)).toEqual([hook.id]);
    expect((await listHooks(other)).items).toEqual([]);
    expect((await emit(other, { event: "User.Created", data: {} })).queued).toBe(0);
    expect(await ctx.db.event.count()).toBe(0);
    expect(await other.db.event.count()).toBe(1);
  });

  it("stamps what it stores with its clock", async () => {
    const { id } = await emit(other, { event: "User.Created", data: { n: 2 } });
    expect((await other.db.event.findUniqueOrThrow({ where: { id } })).createdAt).toEqual(FIXED);
  });

  it("answers with its own settings, whatever the environment says", () => {
    expect(process.env.ALLOW_LOCAL_ENDPOINTS).toBe("true");
    expect(serverSchemaOptions(ctx).allowLocalEndpoints).toBe(true);
    expect(serverSchemaOptions(other).allowLocalEndpoints).toBe(false);
  });

  it("runs work in one transaction that nested calls join, and rolls it back on a throw", async () => {
    await expect(
      other.transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          await inner.db.event.deleteMany({});
        });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await other.db.event.count()).toBe(2);
  });
});
