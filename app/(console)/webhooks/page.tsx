import { Suspense } from "react";
import { WebhooksList } from "@/components/webhooks/webhooks-list";

export const metadata = { title: "Webhooks" };

export default function WebhooksPage() {
  // The list reads its page from the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <WebhooksList />
    </Suspense>
  );
}
