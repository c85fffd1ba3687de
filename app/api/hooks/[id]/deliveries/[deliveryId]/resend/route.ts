import { apiRoute, json } from "@/lib/http/route";
import { resendDelivery } from "@/lib/deliveries/service";

type Params = { id: string; deliveryId: string };

/** Queues the same payload again as a new delivery; 201 with the new entry. */
export const POST = apiRoute<Params>("admin", async ({ params, ctx }) =>
  json(await resendDelivery(ctx, params.id, params.deliveryId), { status: 201 }),
);
