import { ApiKeysView } from "@/components/api-keys/api-keys-view";
import { environmentKeys } from "@/lib/api-keys/service";

export const metadata = { title: "API keys" };

export default function ApiKeysPage() {
  // Names only: the values never leave the server.
  return <ApiKeysView environmentKeys={environmentKeys().map((key) => key.name)} />;
}
