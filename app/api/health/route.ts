import { db } from "@/lib/db/client";
import { apiRoute, json } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute("public", async () => {
  await db.$queryRaw`SELECT 1`;
  return json({ status: "ok" });
});
