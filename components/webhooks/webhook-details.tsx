"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";
import {
  Button,
  Card,
  ChevronLeftIcon,
  ConfirmDialog,
  CopyButton,
  DropdownMenu,
  EmptyState,
  PowerIcon,
  RefreshIcon,
  Skeleton,
  Tabs,
  Tag,
  TrashIcon,
  WebhookIcon,
  useToast,
} from "@/components/ui";
import { ApiError } from "@/lib/client/api";
import type { HookOutput } from "@/lib/hooks/schemas";
import { HealthBanner } from "./health";
import { useHookChart } from "@/components/deliveries/queries";
import { useDeleteHook, useHook, useUpdateHook } from "./queries";
import { InFlight, SuccessRateTag } from "./success-rate";
import { hookName } from "./display-name";

const backLink = (
  <Link href="/webhooks" className="inline-flex items-center gap-1 self-start text-sm text-ink-muted hover:text-ink">
    <ChevronLeftIcon /> Back to webhooks
  </Link>
);

/** The details page frame shared by its tabs: header, three-dots menu and route-based tabs. */
export function WebhookDetails({ id, children }: { id: string; children: ReactNode }) {
  const hook = useHook(id);

  if (hook.isPending) {
    return (
      <div className="flex flex-col gap-4" aria-busy="true">
        {backLink}
        <Card>
          <Skeleton className="h-6 w-48" />
          <Skeleton className="mt-3 h-4 w-96 max-w-full" />
        </Card>
      </div>
    );
  }

  if (hook.isError) {
    const missing = hook.error instanceof ApiError && hook.error.status === 404;
    return (
      <div className="flex flex-col gap-4">
        {backLink}
        <Card>
          <EmptyState
            icon={<WebhookIcon size={24} />}
            title={missing ? "Webhook not found" : "Could not load the webhook"}
            description={missing ? "It may have been deleted." : hook.error.message}
            action={
              missing ? undefined : (
                <Button variant="secondary" onClick={() => void hook.refetch()}>
                  Try again
                </Button>
              )
            }
          />
        </Card>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {backLink}
      <WebhookHeader hook={hook.data} />
      <Tabs
        aria-label="Webhook sections"
        items={[
          { value: "settings", label: "Settings", href: `/webhooks/${id}/settings` },
          { value: "recent-requests", label: "Recent requests (24h)", href: `/webhooks/${id}/recent-requests` },
        ]}
      />
      <div>{children}</div>
    </div>
  );
}

/**
 * "N requests in 24h" and, as in Logto, the success rate: read from the same query as the chart on
 * the Recent requests tab, so the two always agree, and refreshed as often.
 */
function HeaderStats({ hookId, enabled, held }: { hookId: string; enabled: boolean; held: boolean }) {
  const chart = useHookChart(hookId);
  const totals = chart.data?.totals;
  if (!totals) return <Skeleton className="h-5 w-40" />;
  return (
    <>
      <span data-testid="header-requests">
        {totals.requestCount.toLocaleString()} {totals.requestCount === 1 ? "request" : "requests"} in 24h
      </span>
      {enabled && <SuccessRateTag totals={totals} />}
      {/* Paused: the banner below counts the held requests; they are not in flight. */}
      {totals.retryingCount > 0 && !held && <InFlight count={totals.retryingCount} />}
    </>
  );
}

type PendingAction = "disable" | "delete" | null;

function WebhookHeader({ hook }: { hook: HookOutput }) {
  const router = useRouter();
  const toast = useToast();
  const update = useUpdateHook(hook.id);
  const remove = useDeleteHook(hook.id);
  const [confirming, setConfirming] = useState<PendingAction>(null);
  // The confirmations open from the menu: closing one gives focus back to its button.
  const menuRef = useRef<HTMLButtonElement>(null);

  async function setEnabled(enabled: boolean) {
    await update.mutateAsync({ enabled });
    toast.success(enabled ? "Webhook reactivated." : "Webhook disabled.");
  }

  return (
    <Card>
      <div className="flex items-start gap-4">
        <span
          aria-hidden="true"
          className="hidden size-12 shrink-0 items-center justify-center rounded-lg bg-primary-50 text-primary-600 sm:flex"
        >
          <WebhookIcon size={24} />
        </span>
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-xl font-semibold text-ink">{hookName(hook)}</h1>
          <p className="mt-0.5 truncate text-sm text-ink-muted" title={hook.config.url}>
            {hook.config.url}
          </p>
          {/* No separators between the facts: on a phone they wrap, and a separator would dangle. */}
          <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-ink-muted">
            <span data-testid="webhook-status">
              {hook.enabled ? (
                <Tag variant="dot" color="success">
                  Active
                </Tag>
              ) : (
                <Tag color="neutral">Not in use</Tag>
              )}
            </span>
            <HeaderStats hookId={hook.id} enabled={hook.enabled} held={hook.health.state === "circuit_open"} />
            <span className="inline-flex min-w-0 max-w-full items-center gap-1">
              ID <code className="truncate rounded bg-canvas px-1.5 py-0.5 text-xs text-ink">{hook.id}</code>
              <CopyButton value={hook.id} label="Copy webhook ID" />
            </span>
          </div>
        </div>
        <DropdownMenu
          label="More options"
          triggerRef={menuRef}
          items={[
            hook.enabled
              ? { key: "disable", label: "Disable webhook", icon: <PowerIcon />, onSelect: () => setConfirming("disable") }
              : {
                  key: "reactivate",
                  label: "Reactivate webhook",
                  icon: <RefreshIcon />,
                  onSelect: () => void setEnabled(true).catch(() => toast.error("Could not reactivate the webhook.")),
                },
            { key: "delete", label: "Delete webhook", icon: <TrashIcon />, danger: true, onSelect: () => setConfirming("delete") },
          ]}
        />
      </div>
      <HealthBanner hook={hook} />

      <ConfirmDialog
        open={confirming === "disable"}
        onClose={() => setConfirming(null)}
        returnFocusRef={menuRef}
        title="Disable webhook"
        message="Once disabled, this webhook sends no requests to its endpoint until you reactivate it. Events that happen meanwhile are not delivered to it."
        confirmLabel="Disable webhook"
        onConfirm={() => setEnabled(false)}
      />
      <ConfirmDialog
        open={confirming === "delete"}
        onClose={() => setConfirming(null)}
        returnFocusRef={menuRef}
        title="Delete webhook"
        message={
          <>
            <strong className="text-ink">{hookName(hook)}</strong> and its request logs will be deleted. This cannot be undone.
          </>
        }
        confirmLabel="Delete"
        danger
        onConfirm={async () => {
          await remove.mutateAsync();
          toast.success(`Webhook "${hookName(hook)}" deleted.`);
          router.push("/webhooks");
        }}
      />
    </Card>
  );
}
