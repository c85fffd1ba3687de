import { checkReadiness } from "@/lib/db/readiness";
import { apiRoute, json } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** 200 when the database answers and every migration is applied, else 503 with what is missing. */
export const GET = apiRoute("public", async () => {
  const readiness = await checkReadiness();
  return json({ status: readiness.ready ? "ready" : "not_ready", ...readiness }, { status: readiness.ready ? 200 : 503 });
});
