// How often open views refresh themselves; apart from the queries, so the webhooks list (server
// rendered, refreshed by a small island) reads them without loading the query module.
/** Views of deliveries ("Recent requests", one request's page). */
export const DELIVERIES_REFRESH_MS = 5_000;
/** Stats move slowly (hourly buckets): the list and overview refresh less often. */
export const STATS_REFRESH_MS = 30_000;
