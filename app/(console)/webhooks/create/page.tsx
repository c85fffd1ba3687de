import { WebhooksList, type ListSearchParams } from "@/components/webhooks/webhooks-list";

export const metadata = { title: "Create webhook" };

// Logto's /webhooks/create: the list with the create modal open (the list reads the path).
export default function CreateWebhookPage({ searchParams }: { searchParams: ListSearchParams }) {
  return <WebhooksList searchParams={searchParams} />;
}
