// The API keys view's reads and writes, in one place like the hooks' and deliveries': the list's
// query options (key, path and fetcher together), and the create/revoke mutations, which refresh it.
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/api-keys/actions";
import type { ApiKeyOutput, ApiKeyScope } from "@/lib/api-keys/schemas";
import { apiFetch, unwrapAction } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

export const API_KEYS_PATH = "/api/api-keys";

/** A created key: the only answer that carries the key itself. */
export type CreatedKey = ApiKeyOutput & { key: string };
export type CreateApiKeyBody = { name: string; scope: ApiKeyScope };

/** `GET /api/api-keys`: every key the console manages (environment keys are not listed). */
export const apiKeysQuery = () =>
  queryOptions({
    queryKey: queryKeys.apiKeys.all,
    queryFn: ({ signal }) => apiFetch<ApiKeyOutput[]>(API_KEYS_PATH, { signal }),
  });

export function useApiKeys() {
  return useQuery(apiKeysQuery());
}

export function useCreateApiKey(onCreated: (key: CreatedKey) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) => unwrapAction(createApiKeyAction(body)),
    onSuccess: (key) => {
      onCreated(key);
      void queryClient.invalidateQueries({ queryKey: apiKeysQuery().queryKey });
    },
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrapAction(revokeApiKeyAction(id)),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiKeysQuery().queryKey }),
  });
}
