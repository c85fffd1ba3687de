import { PrefetchedWebhooksList, type ListSearchParams } from "@/components/webhooks/list-prefetch";

export const metadata = { title: "Webhooks" };

export default function WebhooksPage({ searchParams }: { searchParams: ListSearchParams }) {
  return <PrefetchedWebhooksList searchParams={searchParams} />;
}
