import { PrefetchedWebhooksList, type ListSearchParams } from "@/components/webhooks/list-prefetch";

export const metadata = { title: "Create webhook" };

// Logto's /webhooks/create: the list with the create modal open (the list reads the path).
export default function CreateWebhookPage({ searchParams }: { searchParams: ListSearchParams }) {
  return <PrefetchedWebhooksList searchParams={searchParams} />;
}
