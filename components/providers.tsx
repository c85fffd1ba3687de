"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { RouteFocus } from "@/components/shell/route-focus";
import { ToastProvider } from "@/components/ui/toast";

/** 4xx errors (validation, auth, not found) will not change on retry. Reads a numeric `status`. */
function isClientError(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("status" in error)) return false;
  const { status } = error;
  return typeof status === "number" && status >= 400 && status < 500;
}

/** A 401 anywhere means the session ended: back to sign-in, then return to this page. */
function onSessionExpired(error: unknown, goToSignIn: () => void) {
  if (typeof error === "object" && error !== null && "status" in error && error.status === 401) goToSignIn();
}

function createQueryClient(goToSignIn: () => void) {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onSessionExpired(error, goToSignIn) }),
    mutationCache: new MutationCache({ onError: (error) => onSessionExpired(error, goToSignIn) }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failureCount, error) => !isClientError(error) && failureCount < 1,
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session (and per request on the server), never shared across users.
  const router = useRouter();
  const [queryClient] = useState(() =>
    createQueryClient(() => router.replace(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`)),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <RouteFocus />
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
