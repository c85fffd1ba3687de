import { apiRoute, json } from "@/lib/http/route";

/** Server settings the console needs: the form validates URLs with the same flag as the server. */
export const GET = apiRoute("admin", async ({ ctx }) => json({ allowLocalEndpoints: ctx.config.ALLOW_LOCAL_ENDPOINTS }));
