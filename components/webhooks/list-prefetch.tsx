import { dehydrate, HydrationBoundary, QueryClient, type DehydratedState } from "@tanstack/react-query";
import { Suspense } from "react";
import { currentAdmin } from "@/lib/auth/current";
import { queryKeys } from "@/lib/client/query-keys";
import { hookSparklines } from "@/lib/deliveries/stats";
import { listHooks } from "@/lib/hooks/service";
import { logger } from "@/lib/observability/log";
import { HOOKS_PAGE_SIZE, pageFromParam } from "./list-page";
import { WebhooksList } from "./webhooks-list";
import type { HooksPage } from "./queries";

/**
 * The list's first page and its sparklines, read on the server into the query cache the list
 * uses: the page arrives with its rows, and the browser renders them once, at hydration, instead
 * of a skeleton and two API round trips later (mobile Lighthouse, issue 13). The browser refreshes
 * them as before. Null when the read fails: the list then loads in the browser and shows the error.
 */
async function prefetchHooksList(page: number): Promise<DehydratedState | null> {
  try {
    const { items, total } = await listHooks({ page, pageSize: HOOKS_PAGE_SIZE });
    const sparklines = await hookSparklines(items.map((hook) => hook.id));
    const queryClient = new QueryClient();
    const now = Date.now();
    // The list shows no signing key; the page's HTML carries none (the API's refresh brings them).
    const hooks = items.map((hook) => ({ ...hook, signingKey: "" }));
    queryClient.setQueryData<HooksPage>(queryKeys.hooks.list({ page, pageSize: HOOKS_PAGE_SIZE }), { hooks, total }, { updatedAt: now });
    for (const hook of items) {
      const sparkline = sparklines[hook.id];
      if (sparkline) queryClient.setQueryData(queryKeys.hooks.sparkline(hook.id), sparkline, { updatedAt: now });
    }
    return dehydrate(queryClient);
  } catch (error) {
    logger("console").warn({ err: error }, "could not prefetch the webhooks list; the browser loads it");
    return null;
  }
}

export type ListSearchParams = Promise<{ page?: string | string[] }>;

/** /webhooks and /webhooks/create (the list with the create modal open), with their data. */
export async function PrefetchedWebhooksList({ searchParams }: { searchParams: ListSearchParams }) {
  const { page } = await searchParams;
  // The layout turns a signed-out visitor away; the page, rendered alongside it, reads nothing for one.
  const state = (await currentAdmin()) ? await prefetchHooksList(pageFromParam(typeof page === "string" ? page : null)) : null;
  // The list reads its page from the URL (useSearchParams), which needs a Suspense boundary.
  return (
    <HydrationBoundary state={state}>
      <Suspense>
        <WebhooksList />
      </Suspense>
    </HydrationBoundary>
  );
}
