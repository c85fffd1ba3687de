// Query-key factories: every cache key in the console comes from here, so invalidation is exact.
export const queryKeys = {
  apiKeys: { all: ["api-keys"] as const },
  config: ["config"] as const,
  hooks: {
    all: ["hooks"] as const,
    /** Every page of the list, for updating a hook in all of them at once. */
    lists: ["hooks", "list"] as const,
    list: (params: { page: number; pageSize: number }) => ["hooks", "list", params] as const,
    /** Every hook, for the Overview's "needs attention" list (a list, so hook updates reach it). */
    everyHook: ["hooks", "list", "all"] as const,
    detail: (id: string) => ["hooks", "detail", id] as const,
    /** Every filtered view of one hook's request log, for invalidation. */
    allLogs: (id: string) => ["hooks", "logs", id] as const,
    logs: (id: string, filters: Record<string, unknown> = {}) => ["hooks", "logs", id, filters] as const,
    log: (id: string, logId: string) => ["hooks", "log", id, logId] as const,
    chart: (id: string) => ["hooks", "chart", id] as const,
    /** The list's 24 h sparkline of one hook (fetched in batches for a whole page). */
    sparkline: (id: string) => ["hooks", "sparkline", id] as const,
  },
  overview: ["overview"] as const,
};
