// Prometheus metrics (prom-client), one registry per process: every web and worker process exports
// its own, so counters are per process and Prometheus sums them. Label cardinality is bounded by
// construction: no label carries a hook id, URL, key or user input; `route` is the route pattern
// from app/api (or "page", "static", "other"), and every other label has a fixed set of values.
// Queue depth, the oldest due and pending deliveries and circuit states are read from PostgreSQL at
// scrape time (two aggregate queries per scrape, shared by the gauges), so any process reports the
// whole queue (sum() over processes would over-count them: use max()).
import { isMainThread } from "node:worker_threads";
import client from "prom-client";
import { z } from "zod";
import { pool, query } from "@/lib/context";
import { rowsOf } from "@/lib/db/rows";
import { HOOK_HEALTH_STATES, type HookHealthState } from "@/lib/hooks/schemas";

type Metrics = ReturnType<typeof createMetrics>;
type MetricsJson = client.MetricObjectWithValues<client.MetricValue<string>>[];
/** Other threads' metrics (lib/delivery/threads.ts), merged into this process's at scrape time. */
type MetricSource = () => Promise<MetricsJson>;
const globalForMetrics = globalThis as unknown as { webhookConsoleMetrics?: Metrics; metricSources?: Set<MetricSource> };
const sources = () => (globalForMetrics.metricSources ??= new Set());

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const CLAIM_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const QUEUE_STATES = ["due", "scheduled", "in_flight", "held"] as const;
type QueueState = (typeof QUEUE_STATES)[number];

type QueueSnapshot = Record<QueueState, number> & {
  oldestDueSeconds: number;
  oldestPendingSeconds: number;
  circuits: Record<HookHealthState, number>;
};

// Pending rows (their queue entries, lib/delivery/queue.ts) by state. Held: an open circuit keeps them (not attempted, retries not spent) until a
// probe succeeds; they are neither due nor scheduled, and their age says how long the endpoint has
// been down, not that workers fall behind. A live lease is in flight; an expired one is due again.
const QUEUE_SQL = `
SELECT count(*) FILTER (WHERE NOT x.held AND NOT x.leased AND x.due)::int AS due,
       count(*) FILTER (WHERE NOT x.held AND NOT x.leased AND NOT x.due)::int AS scheduled,
       count(*) FILTER (WHERE x.leased)::int AS in_flight,
       count(*) FILTER (WHERE x.held AND NOT x.leased)::int AS held,
       COALESCE(extract(epoch FROM now() - min(x."nextAttemptAt") FILTER (WHERE NOT x.held AND NOT x.leased AND x.due)), 0)::float8 AS oldest_due,
       COALESCE(extract(epoch FROM now() - min(x."createdAt")), 0)::float8 AS oldest_pending
FROM (
  SELECT q."nextAttemptAt", d."createdAt", q."nextAttemptAt" <= now() AS due,
         q."leaseOwner" IS NOT NULL AND q."leaseUntil" > now() AS leased,
         hh."openedAt" IS NOT NULL AS held
  FROM "DeliveryQueue" q JOIN "Delivery" d ON d.id = q.id
  LEFT JOIN "HookHealth" hh ON hh."hookId" = q."hookId" AND hh."openedAt" IS NOT NULL
) x`;

// Webhooks by health state, as the API's health.state (lib/hooks/schemas.ts healthOutput).
const CIRCUITS_SQL = `
SELECT CASE WHEN NOT h.enabled AND h."disabledReason" IS NOT NULL THEN 'auto_disabled'
            WHEN hh."openedAt" IS NOT NULL THEN 'circuit_open'
            WHEN hh."consecutiveFailures" > 0 THEN 'failing'
            ELSE 'healthy' END AS state,
       count(*)::int AS count
FROM "Hook" h LEFT JOIN "HookHealth" hh ON hh."hookId" = h.id
GROUP BY 1`;

const count = z.number().int();
const endpointRowSchema = z.object({ enabled: z.boolean(), count });
const queueRowSchema = z.object({
  due: count,
  scheduled: count,
  in_flight: count,
  held: count,
  oldest_due: z.number(),
  oldest_pending: z.number(),
});
const circuitRowSchema = z.object({ state: z.enum(HOOK_HEALTH_STATES), count });

async function readQueue(): Promise<QueueSnapshot> {
  const [queueRows, circuitRows] = await Promise.all([query(QUEUE_SQL), query(CIRCUITS_SQL)]);
  const [queue] = rowsOf(queueRowSchema, queueRows, "the queue gauges");
  const circuits = rowsOf(circuitRowSchema, circuitRows, "the circuit gauges");
  return {
    due: queue?.due ?? 0,
    scheduled: queue?.scheduled ?? 0,
    in_flight: queue?.in_flight ?? 0,
    held: queue?.held ?? 0,
    oldestDueSeconds: Math.max(0, queue?.oldest_due ?? 0),
    oldestPendingSeconds: Math.max(0, queue?.oldest_pending ?? 0),
    circuits: Object.fromEntries(
      HOOK_HEALTH_STATES.map((state) => [state, circuits.find((row) => row.state === state)?.count ?? 0]),
    ) as Record<HookHealthState, number>,
  };
}

/** One read per scrape: prom-client collects every gauge at once, and they share the read in flight. */
function sharedSnapshot() {
  let inFlight: Promise<QueueSnapshot> | null = null;
  return () =>
    (inFlight ??= readQueue().finally(() => {
      inFlight = null;
    }));
}

function createMetrics() {
  const registry = new client.Registry();
  // The process's own figures (CPU, memory, event loop lag, GC) come from its main thread; a
  // delivery thread would only add a lag timer and a GC observer that nothing reads.
  if (isMainThread) client.collectDefaultMetrics({ register: registry, prefix: "webhook_console_" });
  const deliveries = new client.Counter({
    name: "webhook_deliveries_total",
    help: "Deliveries settled by this process, by final result (succeeded, failed).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const attempts = new client.Counter({
    name: "webhook_delivery_attempts_total",
    help: "Delivery attempts by outcome: succeeded, failed (final), retry (scheduled again), released (shutdown), lost (lease taken over).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const attemptDuration = new client.Histogram({
    name: "webhook_delivery_attempt_duration_seconds",
    help: "Duration of one delivery request to the endpoint.",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const firstAttemptLatency = new client.Histogram({
    name: "webhook_event_to_first_attempt_seconds",
    help: "From an event's acceptance to the start of its delivery's first attempt.",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const ingestion = new client.Counter({
    name: "webhook_ingest_requests_total",
    help: "Requests to POST /api/events and /api/events/batch by result: accepted, replayed (idempotency key seen), rejected (4xx), unavailable (503), error (other 5xx).",
    labelNames: ["route", "result"] as const,
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: "webhook_http_request_duration_seconds",
    help: "HTTP answers of this process by route pattern, method and status class.",
    labelNames: ["route", "method", "status"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  const claimDuration = new client.Histogram({
    name: "webhook_delivery_claim_duration_seconds",
    help: "Duration of one claim query (the fair claim: caps, circuits, lease); its tail says the database or the claim is the bottleneck.",
    buckets: CLAIM_BUCKETS,
    registers: [registry],
  });
  const claimedRows = new client.Counter({
    name: "webhook_delivery_claimed_total",
    help: "Deliveries claimed by this process's worker (each starts an attempt at once).",
    registers: [registry],
  });

  const snapshot = sharedSnapshot();
  new client.Gauge({
    name: "webhook_queue_depth",
    help: "Pending deliveries by state: due (may be claimed now), scheduled (a retry later), in_flight (leased by a worker), held (an open circuit keeps them until its endpoint answers). Whole queue, read at scrape time.",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const queue = await snapshot();
      for (const state of QUEUE_STATES) this.set({ state }, queue[state]);
    },
  });
  new client.Gauge({
    name: "webhook_queue_oldest_due_age_seconds",
    help: "How long the oldest due delivery has waited for a worker (0 when none is due; held ones excluded): workers falling behind.",
    registers: [registry],
    async collect() {
      this.set((await snapshot()).oldestDueSeconds);
    },
  });
  new client.Gauge({
    name: "webhook_queue_oldest_pending_age_seconds",
    help: "Age of the oldest undelivered delivery, held ones included (0 when none is pending): how late the latest event delivery can be.",
    registers: [registry],
    async collect() {
      this.set((await snapshot()).oldestPendingSeconds);
    },
  });
  new client.Gauge({
    name: "webhook_endpoint_circuits",
    help: "Webhooks by endpoint health: healthy, failing (consecutive failures below the threshold), circuit_open (deliveries held), auto_disabled.",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const { circuits } = await snapshot();
      for (const state of HOOK_HEALTH_STATES) this.set({ state }, circuits[state]);
    },
  });
  new client.Gauge({
    name: "webhook_endpoints",
    help: "Webhooks by state (enabled, disabled).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const rows = rowsOf(
        endpointRowSchema,
        await query(`SELECT enabled, count(*)::int AS count FROM "Hook" GROUP BY enabled`),
        "the endpoint gauge",
      );
      this.set({ state: "enabled" }, Number(rows.find((row) => row.enabled)?.count ?? 0));
      this.set({ state: "disabled" }, Number(rows.find((row) => !row.enabled)?.count ?? 0));
    },
  });
  new client.Gauge({
    name: "webhook_db_pool_connections",
    help: "This process's PostgreSQL pool: total, idle, and waiting (queries queued for a connection).",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const current = pool();
      this.set({ state: "total" }, current.totalCount);
      this.set({ state: "idle" }, current.idleCount);
      this.set({ state: "waiting" }, current.waitingCount);
    },
  });
  return { registry, deliveries, attempts, attemptDuration, firstAttemptLatency, ingestion, httpDuration, claimDuration, claimedRows };
}

export function metrics(): Metrics {
  globalForMetrics.webhookConsoleMetrics ??= createMetrics();
  return globalForMetrics.webhookConsoleMetrics;
}

const OUTCOMES: Record<string, string> = { succeeded: "succeeded", failed: "failed", pending: "retry", released: "released", lost: "lost" };

/** One attempt's result (lib/delivery/attempt.ts). `durationMs` null when nothing was sent. */
export function recordAttemptMetrics(input: {
  result: string;
  attempt: number;
  durationMs: number | null;
  queuedAt: Date;
  startedAt: Date;
}) {
  const m = metrics();
  m.attempts.inc({ outcome: OUTCOMES[input.result] ?? "other" });
  if (input.result === "succeeded" || input.result === "failed") m.deliveries.inc({ result: input.result });
  if (input.durationMs !== null) m.attemptDuration.observe(input.durationMs / 1000);
  if (input.attempt === 1) m.firstAttemptLatency.observe(Math.max(0, input.startedAt.getTime() - input.queuedAt.getTime()) / 1000);
}

/** One claim query of a worker (lib/delivery/worker.ts). */
export function recordClaimMetrics(seconds: number, rows: number) {
  const m = metrics();
  m.claimDuration.observe(seconds);
  m.claimedRows.inc(rows);
}

const INGEST_ROUTES = new Set(["/api/events", "/api/events/batch"]);

/** One HTTP answer (lib/observability/http.ts). */
export function recordHttpMetrics(input: { route: string; method: string; status: number; seconds: number; replayed: boolean }) {
  const m = metrics();
  m.httpDuration.observe({ route: input.route, method: input.method, status: `${Math.floor(input.status / 100)}xx` }, input.seconds);
  if (INGEST_ROUTES.has(input.route) && input.method === "POST") {
    const result =
      input.status < 300
        ? input.replayed
          ? "replayed"
          : "accepted"
        : input.status === 503
          ? "unavailable"
          : input.status < 500
            ? "rejected"
            : "error";
    m.ingestion.inc({ route: input.route, result });
  }
}

/** What a delivery thread counts: its attempts, claims and pool, summed into its process's at scrape time. */
const THREAD_METRICS = [
  "webhook_deliveries_total",
  "webhook_delivery_attempts_total",
  "webhook_delivery_attempt_duration_seconds",
  "webhook_event_to_first_attempt_seconds",
  "webhook_delivery_claim_duration_seconds",
  "webhook_delivery_claimed_total",
  "webhook_db_pool_connections",
];

/** A delivery thread's share of its process's metrics (lib/delivery/thread-entry.ts). */
export async function deliveryMetrics(): Promise<MetricsJson> {
  const { registry } = metrics();
  const families = THREAD_METRICS.flatMap((name) => registry.getSingleMetric(name) ?? []);
  return Promise.all(families.map((family) => family.get()));
}

/** Adds another thread's metrics to this process's scrape; returns the removal. */
export function addMetricSource(source: MetricSource) {
  sources().add(source);
  return () => void sources().delete(source);
}

/** The exposition text, and its content type: this thread's metrics plus its delivery threads'. */
export async function scrape() {
  const { registry } = metrics();
  if (sources().size === 0) return { contentType: registry.contentType, body: await registry.metrics() };
  const parts = await Promise.all([registry.getMetricsAsJSON(), ...[...sources()].map((source) => source())]);
  const merged = client.AggregatorRegistry.aggregate(parts);
  return { contentType: registry.contentType, body: await merged.metrics() };
}
