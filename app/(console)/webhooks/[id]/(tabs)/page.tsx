import { redirect } from "next/navigation";

// "Settings" is the default tab, as in Logto.
export default async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  redirect(`/webhooks/${encodeURIComponent(id)}/settings`);
}
