// The console's reads and writes of hooks, in one place: every mutation writes the hook it gets
// back into the detail and list caches (so the header and the list change at once) and then
// invalidates them, so the server's view wins.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { apiFetch, unwrapAction } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import {
  createHookAction,
  deleteHookAction,
  regenerateSigningKeyAction,
  retryNowAction,
  sendTestPayloadAction,
  updateHookAction,
} from "@/lib/hooks/actions";
import type { HeaderRow, HookOutput, HookSchemaOptions, TestPayloadResult } from "@/lib/hooks/schemas";
import { recoverFailedAction } from "@/lib/deliveries/actions";
import type { RecoverResult } from "@/lib/deliveries/schemas";

export type HooksPage = { hooks: HookOutput[]; total: number };

export const hookPath = (id: string) => `/api/hooks/${encodeURIComponent(id)}`;

/** `GET /api/config`: the flag the shared schema needs to judge endpoint URLs like the server. */
export function useHookSchemaOptions(): HookSchemaOptions {
  const { data } = useQuery({
    queryKey: queryKeys.config,
    queryFn: () => apiFetch<HookSchemaOptions>("/api/config"),
    staleTime: Infinity,
  });
  return { allowLocalEndpoints: data?.allowLocalEndpoints ?? false };
}

/** Every hook (Logto's unpaged list), refreshed like the Overview's figures. */
export function useEveryHook(refetchInterval?: number) {
  return useQuery({
    queryKey: queryKeys.hooks.everyHook,
    queryFn: async ({ signal }): Promise<HooksPage> => {
      const hooks = await apiFetch<HookOutput[]>("/api/hooks", { signal });
      return { hooks, total: hooks.length };
    },
    refetchInterval,
  });
}

export function useHook(id: string) {
  return useQuery({
    queryKey: queryKeys.hooks.detail(id),
    queryFn: ({ signal }) => apiFetch<HookOutput>(`${hookPath(id)}?includeExecutionStats=true`, { signal }),
  });
}

/** Puts a changed hook into every cached view of it; mutations answer without execution stats. */
function writeHook(queryClient: QueryClient, hook: HookOutput) {
  queryClient.setQueryData<HookOutput>(queryKeys.hooks.detail(hook.id), (old) => ({
    ...hook,
    executionStats: hook.executionStats ?? old?.executionStats,
  }));
  queryClient.setQueriesData<HooksPage>(
    { queryKey: queryKeys.hooks.lists },
    (old) =>
      old && {
        ...old,
        hooks: old.hooks.map((item) =>
          item.id === hook.id ? { ...hook, executionStats: hook.executionStats ?? item.executionStats } : item,
        ),
      },
  );
}

function invalidateHooks(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: queryKeys.hooks.all });
}

export type CreateHookBody = { name: string; events: string[]; config: { url: string; headers?: HeaderRow[] } };
export type UpdateHookBody = Partial<CreateHookBody> & { enabled?: boolean };

export function useCreateHook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateHookBody) => unwrapAction(createHookAction(body)),
    onSuccess: (hook) => {
      writeHook(queryClient, hook);
      void invalidateHooks(queryClient);
    },
  });
}

export function useUpdateHook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateHookBody) => unwrapAction(updateHookAction(id, body)),
    onSuccess: (hook) => {
      writeHook(queryClient, hook);
      void invalidateHooks(queryClient);
    },
  });
}

export function useDeleteHook(id: string) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => unwrapAction(deleteHookAction(id)),
    onSuccess: () => {
      queryClient.setQueriesData<HooksPage>(
        { queryKey: queryKeys.hooks.lists },
        (old) => old && { hooks: old.hooks.filter((hook) => hook.id !== id), total: Math.max(0, old.total - 1) },
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.hooks.lists });
    },
  });
  // The detail query goes once the page showing it unmounts; removed earlier, the still-mounted
  // page would refetch it into a 404 while navigating away.
  const deleted = mutation.isSuccess;
  useEffect(() => {
    if (!deleted) return;
    return () => queryClient.removeQueries({ queryKey: queryKeys.hooks.detail(id) });
  }, [deleted, id, queryClient]);
  return mutation;
}

export function useRegenerateSigningKey(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (gracePeriodHours: number) => unwrapAction(regenerateSigningKeyAction(id, { gracePeriodHours })),
    onSuccess: (hook) => {
      writeHook(queryClient, hook);
      void invalidateHooks(queryClient);
    },
  });
}

export type { TestPayloadResult };

export type TestPayloadBody = { events: string[]; config: { url: string; headers: HeaderRow[] } };

export function useSendTestPayload(id: string) {
  return useMutation({
    // Test payloads are never logged or counted, so no cache changes.
    mutationFn: async (body: TestPayloadBody): Promise<TestPayloadResult[] | null> => unwrapAction(sendTestPayloadAction(id, body)),
  });
}

/** "Retry now" on a paused webhook: its next probe goes out at once. */
export function useRetryNow(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrapAction(retryNowAction(id)),
    onSuccess: (hook) => {
      writeHook(queryClient, hook);
      // The probe's result lands within a moment: read the hook again shortly after.
      setTimeout(() => void invalidateHooks(queryClient), 1_500);
    },
  });
}

/** How many failed requests of the last 24 h "Resend failed requests" would queue. */
export function useRecoverPreview(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.hooks.allDeliveries(id), "recover-preview"],
    queryFn: ({ signal }) => apiFetch<RecoverResult>(`${hookPath(id)}/recover`, { signal }),
    enabled,
  });
}

export function useRecoverFailed(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrapAction(recoverFailedAction(id)),
    onSuccess: () => void invalidateHooks(queryClient),
  });
}
