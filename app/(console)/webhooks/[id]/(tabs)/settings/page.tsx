import { WebhookSettings } from "@/components/webhooks/webhook-settings";

export default async function WebhookSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <WebhookSettings id={id} />;
}
