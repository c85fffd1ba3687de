import { Overview } from "@/components/logs/overview";

export const metadata = { title: "Overview · Webhook Console" };

export default function OverviewPage() {
  return <Overview />;
}
