import { Overview } from "@/components/deliveries/overview";

export const metadata = { title: "Overview" };

export default function OverviewPage() {
  return <Overview />;
}
