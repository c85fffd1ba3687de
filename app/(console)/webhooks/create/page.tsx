import { Suspense } from "react";
import { WebhooksList } from "@/components/webhooks/webhooks-list";

export const metadata = { title: "Create webhook" };

// Logto's /webhooks/create: the list with the create modal open (the list reads the path).
export default function CreateWebhookPage() {
  return (
    <Suspense>
      <WebhooksList />
    </Suspense>
  );
}
