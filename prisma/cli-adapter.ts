// Driver adapter for the Prisma CLI only (prisma.config.ts); the app uses a plain PrismaPg.
// The WebAssembly schema engine talks to PostgreSQL through this adapter, and adapter-pg 6.19.3
// needs four corrections for that path:
//  1. catalog queries return `name` and `"char"` columns adapter-pg cannot decode; `"char"`
//     (pg_constraint.contype, always present on PostgreSQL 18) must reach the engine as Character;
//  2. executeScript() splits on every ";" — send the script whole, as one implicit transaction;
//  3. the shadow database connection loses its database name or password — rebuilt from the URL;
//  4. the CLI never disposes the adapter and leaves long timers — let the process exit when idle.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum } from "@prisma/driver-adapter-utils";

const PG_CHAR = 18;
const PG_NAME = 19;
const PG_TEXT = 25;

type RawResult = { fields?: { dataTypeID: number }[]; rows?: unknown[] };
const charColumnsByRows = new WeakMap<object, number[]>();

function relabelCatalogTypes<T>(result: T): T {
  for (const r of (Array.isArray(result) ? result : [result]) as RawResult[]) {
    const charColumns: number[] = [];
    r?.fields?.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR) charColumns.push(index);
      if (field.dataTypeID === PG_CHAR || field.dataTypeID === PG_NAME) field.dataTypeID = PG_TEXT;
    });
    if (charColumns.length > 0 && r.rows) charColumnsByRows.set(r.rows, charColumns);
  }
  return result;
}

type QueryCallback = (err: Error, res: unknown) => void;

class CatalogAwareClient extends pg.Client {
  // pg.Pool uses the callback form; transactions use the promise form. Both are relabelled.
  override query(...args: unknown[]): never {
    const callbackIndex = args.findIndex((a) => typeof a === "function");
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as QueryCallback;
      args[callbackIndex] = (err: Error, res: unknown) => callback(err, err ? res : relabelCatalogTypes(res));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(relabelCatalogTypes) : result) as never;
  }
}

export class CliPgAdapter extends PrismaPg {
  readonly #url: string;

  constructor(url: string) {
    super({ connectionString: url, Client: CatalogAwareClient, allowExitOnIdle: true });
    this.#url = url;
  }

  override async connect() {
    const adapter = await super.connect();
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      const resultSet = await queryRaw(query);
      for (const index of charColumnsByRows.get(resultSet.rows) ?? []) {
        resultSet.columnTypes[index] = ColumnTypeEnum.Character;
      }
      return resultSet;
    };
    adapter.executeScript = async (script) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    return adapter;
  }

  override async connectToShadowDb() {
    const admin = await this.connect();
    const shadowName = `prisma_migrate_shadow_db_${randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${shadowName}"`);
    const shadowUrl = new URL(this.#url);
    shadowUrl.pathname = `/${shadowName}`;
    const shadow = await new CliPgAdapter(shadowUrl.toString()).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try {
        await disposeShadow(); // the pool must close before the database can be dropped
        await admin.executeScript(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`);
      } finally {
        await admin.dispose();
      }
    };
    return shadow;
  }
}

/** The wasm engine leaves 10 s / 60 s timers behind; unref them so CLI commands exit promptly. */
export function unrefLongTimers(thresholdMs = 10_000) {
  const original = globalThis.setTimeout;
  const patched = ((handler: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
    const timer = original(handler, ms, ...rest);
    if ((ms ?? 0) >= thresholdMs) timer.unref();
    return timer;
  }) as typeof setTimeout;
  globalThis.setTimeout = Object.assign(patched, original);
}
