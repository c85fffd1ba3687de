import type { ReactNode } from "react";
import { WebhookDetails } from "@/components/webhooks/webhook-details";

export const metadata = { title: "Webhook" };

// Shared by the tabs, so the header and the menu stay mounted while switching between them.
export default async function WebhookLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const { id } = await params;
  return <WebhookDetails id={id}>{children}</WebhookDetails>;
}
