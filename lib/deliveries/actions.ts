"use server";
// Resending from the console: the services behind POST .../deliveries/:id/resend and POST .../recover.
import { adminAction } from "@/lib/http/action";
import { recoverFailed } from "./recover";
import { resendDelivery } from "./service";

export async function resendDeliveryAction(hookId: string, deliveryId: string) {
  return adminAction({ ids: [hookId, deliveryId] }, (ctx) => resendDelivery(ctx, hookId, deliveryId));
}

/** "Resend failed requests" of the last 24 h, as `POST /api/hooks/:id/recover` with `{}`. */
export async function recoverFailedAction(hookId: string) {
  return adminAction({ ids: [hookId] }, async (ctx) => {
    const { batches: _batches, ...result } = await recoverFailed(ctx, hookId, {});
    return result;
  });
}
