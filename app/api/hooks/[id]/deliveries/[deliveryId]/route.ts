import { apiRoute, json } from "@/lib/http/route";
import { getDelivery } from "@/lib/deliveries/service";

type Params = { id: string; deliveryId: string };

export const GET = apiRoute<Params>("admin", async ({ params, ctx }) => json(await getDelivery(ctx, params.id, params.deliveryId)));
