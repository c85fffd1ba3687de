import { ApiKeysView } from "@/components/api-keys/api-keys-view";
import { QueryProvider } from "@/components/query-provider";
import { environmentKeys } from "@/lib/api-keys/service";
import { appContext } from "@/lib/context";

export const metadata = { title: "API keys" };

export default function ApiKeysPage() {
  // Names only: the values never leave the server.
  return (
    <QueryProvider>
      <ApiKeysView environmentKeys={environmentKeys(appContext()).map((key) => key.name)} />
    </QueryProvider>
  );
}
