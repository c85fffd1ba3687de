import { ApiKeysView } from "@/components/api-keys/api-keys-view";

export const metadata = { title: "API keys · Webhook Console" };

export default function ApiKeysPage() {
  return <ApiKeysView />;
}
