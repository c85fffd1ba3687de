import { Overview } from "@/components/deliveries/overview";
import { QueryProvider } from "@/components/query-provider";

export const metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <QueryProvider>
      <Overview />
    </QueryProvider>
  );
}
