import { WebhooksList, type ListSearchParams } from "@/components/webhooks/webhooks-list";

export const metadata = { title: "Webhooks" };

export default function WebhooksPage({ searchParams }: { searchParams: ListSearchParams }) {
  return <WebhooksList searchParams={searchParams} />;
}
