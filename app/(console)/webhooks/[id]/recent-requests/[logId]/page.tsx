import { Suspense } from "react";
import { RequestDetails } from "@/components/logs/request-details";

export const metadata = { title: "Request" };

export default async function RequestDetailsPage({ params }: { params: Promise<{ id: string; logId: string }> }) {
  const { id, logId } = await params;
  // The back link reads the list's filters from the URL (useSearchParams): a Suspense boundary.
  return (
    <Suspense>
      <RequestDetails hookId={id} deliveryId={logId} />
    </Suspense>
  );
}
