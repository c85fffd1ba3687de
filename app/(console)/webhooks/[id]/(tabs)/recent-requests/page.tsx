import { Suspense } from "react";
import { RecentRequests } from "@/components/deliveries/recent-requests";

export const metadata = { title: "Recent requests" };

export default async function RecentRequestsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // The filters live in the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <Suspense>
      <RecentRequests hookId={id} />
    </Suspense>
  );
}
