import type { ReactNode } from "react";
import { WebhookDetails } from "@/components/webhooks/webhook-details";

// A layout's own title string would end the root's template for its pages ("Recent requests" came
// without the suffix): it passes the template on.
export const metadata = { title: { default: "Webhook", template: "%s · Webhook Console" } };

// Shared by the tabs, so the header and the menu stay mounted while switching between them.
export default async function WebhookLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const { id } = await params;
  return <WebhookDetails id={id}>{children}</WebhookDetails>;
}
