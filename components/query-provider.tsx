"use client";

// TanStack Query for the pages that read through it (overview, API keys, a webhook's pages) and
// the overlays that write through it (create modal, account menu), not the root layout: the
// webhooks list renders on the server and its first load then ships no query cache (mobile
// Lighthouse, issue 13). Every provider in a tab shares one client, so the cache outlives
// navigations as it did when the provider sat at the root.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";

/** 4xx errors (validation, auth, not found) will not change on retry. Reads a numeric `status`. */
function isClientError(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("status" in error)) return false;
  const { status } = error;
  return typeof status === "number" && status >= 400 && status < 500;
}

const signInPath = () => `/sign-in?next=${encodeURIComponent(window.location.pathname)}`;
// Replaced by a client-side navigation once a provider has mounted (it has the router).
let goToSignIn = () => window.location.assign(signInPath());

/** A 401 anywhere means the session ended: back to sign-in, then return to this page. */
function onSessionExpired(error: unknown) {
  if (typeof error === "object" && error !== null && "status" in error && error.status === 401) goToSignIn();
}

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onSessionExpired }),
    mutationCache: new MutationCache({ onError: onSessionExpired }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failureCount, error) => !isClientError(error) && failureCount < 1,
      },
    },
  });
}

let browserClient: QueryClient | undefined;

/** One client per browser tab; on the server one per render, never shared across users. */
function queryClient(): QueryClient {
  if (typeof window === "undefined") return createQueryClient();
  browserClient ??= createQueryClient();
  return browserClient;
}

/** Drops everything read so far (sign-out); nothing to drop when no page has read through the cache yet. */
export function clearQueryCache() {
  browserClient?.clear();
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [client] = useState(queryClient);
  useEffect(() => {
    goToSignIn = () => router.replace(signInPath());
  }, [router]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
