import { Card, EmptyState, WebhookIcon } from "@/components/ui";

export const metadata = { title: "Recent requests · Webhook Console" };

// Placeholder until the request-log issue replaces this page with the log of deliveries.
export default function RecentRequestsPage() {
  return (
    <Card>
      <EmptyState
        icon={<WebhookIcon size={24} />}
        title="No request logs yet"
        description="Request logs arrive with event delivery: every request this webhook sends in the last 24 hours will be listed here with its status and details."
      />
    </Card>
  );
}
