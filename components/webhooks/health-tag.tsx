// The endpoint-health tag of the webhooks list and the Overview, and how an error reads: no
// "use client", so the list (a server component) renders it on the server.
import { Tag } from "@/components/ui/tag";
import type { HookHealthOutput } from "@/lib/hooks/schemas";

export function held(count: number) {
  return `${count.toLocaleString()} ${count === 1 ? "request" : "requests"} held`;
}

/** The error as a person reads it: "connect ECONNREFUSED 1.2.3.4:443" → "connection refused". */
export function describeError(error: string | null) {
  if (!error) return "unknown error";
  if (/ECONNREFUSED|connection refused/i.test(error)) return "connection refused";
  if (/timed out|timeout/i.test(error)) return "timed out";
  if (/ENOTFOUND|EAI_AGAIN/i.test(error)) return "host not found";
  if (/ECONNRESET|socket|other side closed/i.test(error)) return "connection dropped";
  return error.length > 80 ? `${error.slice(0, 77)}…` : error;
}

/** Next to the success rate in the list; nothing for a healthy webhook. */
export function HealthTag({ health }: { health: HookHealthOutput }) {
  if (health.state === "healthy") return null;
  const label = health.state === "circuit_open" ? "Paused" : health.state === "auto_disabled" ? "Auto-disabled" : "Failing";
  const title =
    health.state === "failing"
      ? `${health.consecutiveFailures} failed attempts in a row: ${describeError(health.lastError)}`
      : `${describeError(health.lastError)}; ${held(health.held)}`;
  return (
    <Tag color={health.state === "failing" ? "warning" : "error"} className="shrink-0">
      <span data-testid="health-tag" title={title}>
        {label}
        {health.state !== "failing" && health.held > 0 ? ` · ${health.held.toLocaleString()} held` : ""}
      </span>
    </Tag>
  );
}
