import { Overview } from "@/components/logs/overview";

export const metadata = { title: "Overview" };

export default function OverviewPage() {
  return <Overview />;
}
