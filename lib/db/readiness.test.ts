// Readiness: ready on a migrated database; not ready, naming the migration, when the code ships
// one the database lacks; 503 from the route then, while liveness stays 200.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as liveRoute from "@/app/api/health/route";
import * as readyRoute from "@/app/api/health/ready/route";
import { call } from "@/lib/testing/http";
import { checkReadiness, markStopping } from "./readiness";

const dir = mkdtempSync(path.join(tmpdir(), "wc-migrations-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readiness", () => {
  it("is ready when every shipped migration is applied", async () => {
    expect(await checkReadiness()).toEqual({ ready: true, database: "ok", pendingMigrations: [], stopping: false, worker: "off" });
    const res = await call(readyRoute.GET, {});
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: "ready", database: "ok" });
  });

  it("is not ready while a migration is pending, and names it", async () => {
    cpSync(path.resolve("prisma/migrations"), dir, { recursive: true });
    mkdirSync(path.join(dir, "29991231000000_future"));
    writeFileSync(path.join(dir, "29991231000000_future", "migration.sql"), "SELECT 1;");
    expect(await checkReadiness(dir)).toEqual({
      ready: false,
      database: "ok",
      pendingMigrations: ["29991231000000_future"],
      stopping: false,
      worker: "off",
    });
  });

  it("is not ready once the process is stopping (the run command's shutdown marks it)", async () => {
    markStopping();
    expect(await checkReadiness()).toEqual({ ready: false, database: "ok", pendingMigrations: [], stopping: true, worker: "off" });
    const res = await call(readyRoute.GET, {});
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ status: "not_ready", stopping: true });
  });

  it("liveness does not ask the database", async () => {
    expect((await call(liveRoute.GET, {})).status).toBe(200);
  });
});
