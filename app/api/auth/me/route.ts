import { apiRoute, json } from "@/lib/http/route";

export const GET = apiRoute("admin", async ({ principal }) =>
  json(principal.kind === "session" ? { kind: "session", email: principal.email } : { kind: "api_key" }),
);
