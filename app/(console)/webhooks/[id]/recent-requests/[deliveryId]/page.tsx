import { Suspense } from "react";
import { RequestDetails } from "@/components/deliveries/request-details";

export const metadata = { title: "Request" };

// The address stays Logto's /webhooks/:id/recent-requests/:logId (links and bookmarks keep
// working); only the parameter's name in code is the delivery's.
export default async function RequestDetailsPage({ params }: { params: Promise<{ id: string; deliveryId: string }> }) {
  const { id, deliveryId } = await params;
  // The back link reads the list's filters from the URL (useSearchParams): a Suspense boundary.
  return (
    <Suspense>
      <RequestDetails hookId={id} deliveryId={deliveryId} />
    </Suspense>
  );
}
