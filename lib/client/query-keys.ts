// Query-key factories: every cache key in the console comes from here, so invalidation is exact.
export const queryKeys = {
  apiKeys: { all: ["api-keys"] as const },
  config: ["config"] as const,
  hooks: {
    all: ["hooks"] as const,
    /** Every cached list of hooks, for updating a hook in all of them at once. */
    lists: ["hooks", "list"] as const,
    /** Every hook, for the Overview's "needs attention" list (a list, so hook updates reach it). */
    everyHook: ["hooks", "list", "all"] as const,
    detail: (id: string) => ["hooks", "detail", id] as const,
    /** Every filtered page of one hook's deliveries (the console's "Recent requests"), for invalidation. */
    allDeliveries: (id: string) => ["hooks", "deliveries", id] as const,
    deliveries: (id: string, filters: Record<string, unknown> = {}) => ["hooks", "deliveries", id, filters] as const,
    delivery: (id: string, deliveryId: string) => ["hooks", "delivery", id, deliveryId] as const,
    chart: (id: string) => ["hooks", "chart", id] as const,
  },
  overview: ["overview"] as const,
};
