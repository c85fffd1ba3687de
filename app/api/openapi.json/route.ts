import { apiRoute, json } from "@/lib/http/route";
import { openApiDocument } from "@/lib/openapi/document";

/** Public on purpose: the contract only, no data (lib/openapi/document.ts says why). */
export const GET = apiRoute("public", async () => json(openApiDocument()));
