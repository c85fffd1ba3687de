import { revokeApiKey } from "@/lib/api-keys/service";
import { apiRoute, noContent } from "@/lib/http/route";

export const DELETE = apiRoute<{ id: string }, "session">("session", async ({ params, ctx }) => {
  await revokeApiKey(ctx, params.id);
  return noContent();
});
