// Environment configuration, validated; every variable is documented in README.md.
import { z } from "zod";
import { isCidr } from "@/lib/net/address";

const flag = z
  .enum(["true", "false", "1", "0", "on", "off", "yes", "no", ""])
  .optional()
  .transform((value) => value === "true" || value === "1" || value === "on" || value === "yes");

const schema = z.object({
  DATABASE_URL: z.string().optional(),
  ALLOW_LOCAL_ENDPOINTS: flag,
  API_KEY: z.string().min(16, "API_KEY must be at least 16 characters").optional().or(z.literal("")),
  // The replacement during a rotation of API_KEY: both are accepted until API_KEY takes its value.
  API_KEY_NEXT: z.string().min(16, "API_KEY_NEXT must be at least 16 characters").optional().or(z.literal("")),
  CRON_SECRET: z.string().optional(),
  // A bearer token for Prometheus: /metrics also answers admins (session or admin API key).
  METRICS_TOKEN: z.string().optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 7),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // How long a claimed delivery stays reserved for one worker; always kept above the timeout.
  DELIVERY_LEASE_MS: z.coerce.number().int().positive().optional(),
  // Per process. 256 so that one webhook at its cap (64) sends as wide as a whole worker used to.
  DELIVERY_CONCURRENCY: z.coerce.number().int().positive().default(256),
  DELIVERY_WORKER: z.enum(["on", "off"]).default("on"),
  // Threads the worker's engine runs on (lib/delivery/threads.ts); unset: 1 in the web process on
  // a machine with more than one core, else 0 (the engine on the process's main thread).
  DELIVERY_THREADS: z.coerce.number().int().min(0).max(16).optional(),
  // Endpoint health (README "Endpoint health"): caps on attempts in flight, over all workers.
  DELIVERY_HOOK_CONCURRENCY: z.coerce.number().int().positive().default(64),
  DELIVERY_HOST_CONCURRENCY: z.coerce.number().int().positive().default(128),
  // Consecutive failed attempts (timeouts, network errors, 5xx) that open a webhook's circuit.
  // At least 5: above the 4 attempts of one delivery, so a single event to a dead endpoint still fails after 4.
  DELIVERY_BREAKER_THRESHOLD: z.coerce
    .number()
    .int()
    .min(5, "DELIVERY_BREAKER_THRESHOLD must be at least 5 (one delivery makes 4 attempts).")
    .default(20),
  DELIVERY_BREAKER_COOLDOWN_MS: z.coerce.number().int().positive().default(5_000),
  DELIVERY_BREAKER_COOLDOWN_MAX_MS: z.coerce.number().int().positive().default(60_000),
  DELIVERY_AUTO_DISABLE_HOURS: z.coerce.number().positive().default(72),
  RETENTION_DAYS: z.coerce.number().positive().default(14),
  // On SIGTERM/SIGINT, readiness answers 503 this long before the listener closes, so a load
  // balancer stops sending traffic first (set it to its probe period times its failure threshold).
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  // Proxies whose X-Forwarded-For/-Proto/-Host are believed: IPs or CIDR ranges, comma-separated.
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isCidr), "TRUSTED_PROXIES must list IP addresses or CIDR ranges, comma-separated"),
  // The console's public URL; the same-origin check compares against its scheme, host and port.
  APP_URL: z
    .url("APP_URL must be a URL such as https://hooks.example.com")
    .optional()
    .or(z.literal(""))
    .transform((value) => (value ? new URL(value).origin : undefined)),
});

export type AppConfig = z.infer<typeof schema>;

/**
 * The configuration in `env`, validated. Parsed once per process by its entry point, into its
 * service context (lib/context.ts), which everything else reads it from.
 */
export function parseConfig(env: NodeJS.ProcessEnv): AppConfig {
  return schema.parse(env);
}
