import { revokeApiKey } from "@/lib/api-keys/service";
import { apiRoute, noContent } from "@/lib/http/route";

export const DELETE = apiRoute<{ id: string }>("admin", async ({ params }) => {
  await revokeApiKey(params.id);
  return noContent();
});
