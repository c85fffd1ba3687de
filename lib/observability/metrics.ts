// Prometheus metrics (prom-client), one registry per process: every web and worker process exports
// its own, so counters are per process and Prometheus sums them. Label cardinality is bounded by
// construction: no label carries a hook id, URL, key or user input; `route` is the route pattern
// from app/api (or "page", "static", "other"), and every other label has a fixed set of values.
// Queue depth, the oldest due delivery and circuit states are read from PostgreSQL at scrape time,
// so any process reports the whole queue (sum() over processes would over-count them: use max()).
import client from "prom-client";
import { pool, query } from "@/lib/db/client";

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as unknown as { webhookConsoleMetrics?: Metrics };

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUEUE_STATES = ["due", "scheduled", "in_flight"] as const;
/** Claimable now: due and not leased (or its lease ran out). */
const DUE = `"nextAttemptAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" <= now())`;

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "webhook_console_" });
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

  new client.Gauge({
    name: "webhook_queue_depth",
    help: "Pending deliveries by state: due (may be claimed now), scheduled (a retry later), in_flight (leased by a worker). Whole queue, read at scrape time.",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const [row] = await query<{ due: string; scheduled: string; in_flight: string }>(
        `SELECT count(*) FILTER (WHERE ${DUE}) AS due,
                count(*) FILTER (WHERE "nextAttemptAt" > now() AND "leaseOwner" IS NULL) AS scheduled,
                count(*) FILTER (WHERE "leaseOwner" IS NOT NULL AND "leaseUntil" > now()) AS in_flight
         FROM "Delivery" WHERE status = 'pending'`,
      );
      for (const state of QUEUE_STATES) this.set({ state }, Number(row?.[state] ?? 0));
    },
  });
  new client.Gauge({
    name: "webhook_queue_oldest_due_age_seconds",
    help: "How long the oldest due delivery has been waiting (0 when none is due).",
    registers: [registry],
    async collect() {
      // The claim's index (Delivery_due_idx) serves this min().
      const [row] = await query<{ oldest: number | null }>(
        `SELECT extract(epoch FROM now() - min("nextAttemptAt"))::float8 AS oldest FROM "Delivery" WHERE status = 'pending' AND ${DUE}`,
      );
      this.set(Math.max(0, row?.oldest ?? 0));
    },
  });
  new client.Gauge({
    name: "webhook_endpoints",
    help: "Webhooks by state (enabled, disabled).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const rows = await query<{ enabled: boolean; count: string }>(`SELECT enabled, count(*) FROM "Hook" GROUP BY enabled`);
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
  return { registry, deliveries, attempts, attemptDuration, firstAttemptLatency, ingestion, httpDuration };
}

export function metrics(): Metrics {
  globalForMetrics.webhookConsoleMetrics ??= createMetrics();
  return globalForMetrics.webhookConsoleMetrics;
}

const OUTCOMES: Record<string, string> = { succeeded: "succeeded", failed: "failed", pending: "retry", released: "released", lost: "lost" };

/** One attempt's result (lib/delivery/attempt.ts). `durationMs` null when nothing was sent. */
export function recordAttemptMetrics(input: { result: string; attempt: number; durationMs: number | null; queuedAt: Date; startedAt: Date }) {
  const m = metrics();
  m.attempts.inc({ outcome: OUTCOMES[input.result] ?? "other" });
  if (input.result === "succeeded" || input.result === "failed") m.deliveries.inc({ result: input.result });
  if (input.durationMs !== null) m.attemptDuration.observe(input.durationMs / 1000);
  if (input.attempt === 1) m.firstAttemptLatency.observe(Math.max(0, input.startedAt.getTime() - input.queuedAt.getTime()) / 1000);
}

const INGEST_ROUTES = new Set(["/api/events", "/api/events/batch"]);

/** One HTTP answer (lib/observability/http.ts). */
export function recordHttpMetrics(input: { route: string; method: string; status: number; seconds: number; replayed: boolean }) {
  const m = metrics();
  m.httpDuration.observe({ route: input.route, method: input.method, status: `${Math.floor(input.status / 100)}xx` }, input.seconds);
  if (INGEST_ROUTES.has(input.route) && input.method === "POST") {
    const result =
      input.status < 300 ? (input.replayed ? "replayed" : "accepted") : input.status === 503 ? "unavailable" : input.status < 500 ? "rejected" : "error";
    m.ingestion.inc({ route: input.route, result });
  }
}

/** The exposition text, and its content type. */
export async function scrape() {
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
