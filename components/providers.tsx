"use client";

import type { ReactNode } from "react";
import { RouteFocus } from "@/components/shell/route-focus";
import { ToastProvider } from "@/components/ui/toast";

// The query cache is not here: only the pages and overlays that use it mount it (query-provider.tsx).
export function Providers({ children }: { children: ReactNode }) {
  return (
    <>
      <RouteFocus />
      <ToastProvider>{children}</ToastProvider>
    </>
  );
}
