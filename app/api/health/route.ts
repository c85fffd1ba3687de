import { apiRoute, json } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. Whether it can serve (database, migrations) is /api/health/ready. */
export const GET = apiRoute("public", async () => json({ status: "ok" }));
