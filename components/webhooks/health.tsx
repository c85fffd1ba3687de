"use client";

// A webhook's endpoint health (the API's `health` object) in the console: the details header
// banner with "Retry now", and the Overview's "needs attention" list (the tag: health-tag.tsx).
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import type { HookOutput } from "@/lib/hooks/schemas";
import { describeError, held } from "./health-tag";
import { useRetryNow, useUpdateHook } from "./queries";

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
const dateTime = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

/** "in 40 s", "in 3 min", "now": ticks every second. */
function useCountdown(target: number | null) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (target === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [target]);
  if (target === null) return null;
  const seconds = Math.round((target - now) / 1000);
  if (seconds <= 0) return "any moment now";
  return seconds < 90 ? `in ${seconds} s` : `in ${Math.round(seconds / 60)} min`;
}

/** The details header's banner: why deliveries are paused, when the next try is, and what to do. */
export function HealthBanner({ hook }: { hook: HookOutput }) {
  const { health } = hook;
  const toast = useToast();
  const retry = useRetryNow(hook.id);
  const update = useUpdateHook(hook.id);
  const countdown = useCountdown(health.state === "circuit_open" ? health.nextProbeAt : null);
  if (health.state === "healthy") return null;

  if (health.state === "failing") {
    return (
      <div
        role="status"
        data-testid="health-banner"
        className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800"
      >
        Recent attempts are failing ({health.consecutiveFailures} in a row{health.since ? ` since ${time(health.since)}` : ""}):{" "}
        {describeError(health.lastError)}. Failed requests are retried; if the failures go on, deliveries pause until the endpoint answers
        again.
      </div>
    );
  }

  const paused = health.state === "circuit_open";
  return (
    <div
      role="alert"
      data-testid="health-banner"
      className="mt-4 flex flex-col gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 sm:flex-row sm:items-center sm:justify-between"
    >
      <div className="min-w-0">
        {paused ? (
          <p className="font-medium">
            Deliveries paused since {health.since ? time(health.since) : "recently"}: {describeError(health.lastError)}
            {countdown ? `; next try ${countdown}` : hook.enabled ? "" : "; the webhook is disabled, no tries until you reactivate it"}.
          </p>
        ) : (
          <p className="font-medium">
            Disabled automatically{health.since ? ` on ${dateTime(health.since)}` : ""}: {describeError(health.lastError)}.
          </p>
        )}
        <p className="mt-0.5 text-red-700">
          {health.held > 0
            ? `${held(health.held)}: kept, not attempted, and sent oldest first once the endpoint answers${paused ? "" : " after you reactivate the webhook"}.`
            : "No requests are waiting."}
        </p>
      </div>
      {paused && hook.enabled && (
        <Button
          variant="secondary"
          size="sm"
          loading={retry.isPending}
          onClick={() =>
            retry.mutate(undefined, {
              onSuccess: () => toast.success("Trying the endpoint again now."),
              onError: (error) => toast.error(error.message),
            })
          }
        >
          Retry now
        </Button>
      )}
      {!paused && (
        <Button
          variant="secondary"
          size="sm"
          loading={update.isPending}
          onClick={() =>
            update.mutate(
              { enabled: true },
              {
                onSuccess: () => toast.success("Webhook reactivated: held requests are being sent."),
                onError: (error) => toast.error(error.message),
              },
            )
          }
        >
          Reactivate
        </Button>
      )}
    </div>
  );
}

/** Webhooks whose endpoint needs an admin's attention, worst first. */
export function needsAttention(hooks: HookOutput[]) {
  const rank = { auto_disabled: 0, circuit_open: 1, failing: 2, healthy: 3 } as const;
  return hooks.filter((hook) => hook.health.state !== "healthy").sort((a, b) => rank[a.health.state] - rank[b.health.state]);
}
