import { retryHookNow } from "@/lib/hooks/service";
import { apiRoute, json } from "@/lib/http/route";

/** A paused webhook's next probe goes out at once ("Retry now"); 200 with the hook, 409 if not paused. */
export const POST = apiRoute<{ id: string }>("admin", async ({ params, ctx }) => json(await retryHookNow(ctx, params.id)));
