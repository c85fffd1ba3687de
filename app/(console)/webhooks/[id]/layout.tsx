import type { ReactNode } from "react";
import { QueryProvider } from "@/components/query-provider";

// A webhook's pages (settings, recent requests, a request) read through the query cache.
export default function WebhookPagesLayout({ children }: { children: ReactNode }) {
  return <QueryProvider>{children}</QueryProvider>;
}
