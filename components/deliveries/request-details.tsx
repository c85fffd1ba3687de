"use client";

// One delivery, a "request" in the console's words (Logto's /webhooks/:id/recent-requests/:logId): what was sent, what came
// back, every attempt, and "Resend", which queues the same payload as a new request.
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import { Button, Card, ChevronLeftIcon, CopyButton, EmptyState, RefreshIcon, Skeleton, Tag, WebhookIcon, useToast } from "@/components/ui";
import { useHook } from "@/components/webhooks/queries";
import { ApiError } from "@/lib/client/api";
import { logKeyOf, type AttemptEntry, type DeliveryDetails } from "@/lib/deliveries/schemas";
import { useDelivery, useResendDelivery } from "./queries";
import { filtersFrom, filtersQuery } from "./filters";
import { formatDuration, formatTime } from "./format";
import { RequestStatus } from "./request-status";
import { hookName } from "@/components/webhooks/display-name";

/** Pretty-prints JSON text; anything else is shown as it came. */
function pretty(text: string) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function CodeBlock({ text, label, empty = "Empty" }: { text: string | null; label: string; empty?: string }) {
  if (!text) return <p className="text-sm text-ink-muted">{empty}</p>;
  return (
    <div className="relative">
      <div className="absolute right-2 top-2">
        <CopyButton value={text} label={`Copy ${label}`} />
      </div>
      {/* A named, focusable region: it scrolls, so keyboard users must be able to reach and scroll it. */}
      <pre
        role="region"
        tabIndex={0}
        aria-label={label}
        className="max-h-96 overflow-auto rounded-lg bg-canvas p-4 pr-12 font-mono text-xs leading-relaxed text-ink"
      >
        {pretty(text)}
      </pre>
    </div>
  );
}

function HeadersTable({ headers, label }: { headers: Record<string, string> | null; label: string }) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return <p className="text-sm text-ink-muted">None recorded</p>;
  return (
    <table aria-label={label} className="w-full text-left font-mono text-xs">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name} className="border-b border-line last:border-0">
            <th scope="row" className="w-1/3 py-1.5 pr-4 align-top font-medium text-ink-muted">
              {name}
            </th>
            <td className="break-all py-1.5 text-ink">{value === "[redacted]" ? <Tag color="neutral">redacted</Tag> : value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-ink-muted">{label}</dt>
      <dd className="mt-1 text-sm text-ink">{children}</dd>
    </div>
  );
}

function AttemptsTimeline({ request }: { request: DeliveryDetails }) {
  const attempts: AttemptEntry[] = request.attemptLog;
  return (
    <ol aria-label="Attempts" className="flex flex-col">
      {attempts.map((attempt, index) => {
        const ok = attempt.error === null && attempt.status !== null && attempt.status < 300;
        return (
          <li key={`${attempt.at}-${index}`} className="relative flex gap-3 pb-4 last:pb-0">
            <span aria-hidden="true" className={`mt-1.5 size-2.5 shrink-0 rounded-full ${ok ? "bg-green-500" : "bg-red-500"}`} />
            <div className="min-w-0 text-sm">
              <p className="font-medium text-ink">
                Attempt {index + 1}
                <span className="ml-2 font-normal text-ink-muted">{formatTime(Date.parse(attempt.at))}</span>
              </p>
              <p className="text-ink-muted">
                {attempt.status ?? "No response"} · {formatDuration(attempt.durationMs)}
                {/* "HTTP 500" only repeats the status shown first; other errors (timeouts, refused) say more. */}
                {attempt.error && attempt.error !== `HTTP ${attempt.status}` && <span className="text-red-700"> · {attempt.error}</span>}
              </p>
            </div>
          </li>
        );
      })}
      {request.status === "pending" && (
        <li className="flex gap-3 text-sm text-ink-muted">
          <span aria-hidden="true" className="mt-1.5 size-2.5 shrink-0 rounded-full bg-amber-400" />
          {request.attempts === 0
            ? "Queued: the first attempt starts shortly."
            : `Next attempt ${request.nextAttemptAt ? `at ${formatTime(request.nextAttemptAt)}` : "soon"}.`}
        </li>
      )}
      {attempts.length === 0 && request.status !== "pending" && (
        <li className="text-sm text-ink-muted">{request.error ?? "Never sent."}</li>
      )}
    </ol>
  );
}

export function RequestDetails({ hookId, deliveryId }: { hookId: string; deliveryId: string }) {
  const router = useRouter();
  const toast = useToast();
  const searchParams = useSearchParams();
  const listHref = `/webhooks/${hookId}/recent-requests${filtersQuery(filtersFrom(new URLSearchParams(searchParams.toString())))}`;
  const request = useDelivery(hookId, deliveryId);
  const hook = useHook(hookId);
  const resend = useResendDelivery(hookId);

  // Its own page (as Logto's log details), outside the webhook's tabs: one way back, named after the webhook.
  const backTo = hook.data ? hookName(hook.data) : "webhook";
  const back = (
    <Link href={listHref} className="inline-flex items-center gap-1 self-start text-sm text-ink-muted hover:text-ink">
      <ChevronLeftIcon /> Back to {backTo}
    </Link>
  );

  if (request.isPending) {
    return (
      <div className="flex flex-col gap-4" aria-busy="true">
        {back}
        <Card>
          <Skeleton className="h-6 w-64" />
          <Skeleton className="mt-3 h-4 w-96 max-w-full" />
        </Card>
        <Card>
          <Skeleton className="h-40 w-full" />
        </Card>
      </div>
    );
  }

  if (request.isError) {
    const missing = request.error instanceof ApiError && request.error.status === 404;
    return (
      <div className="flex flex-col gap-4">
        {back}
        <Card>
          <EmptyState
            icon={<WebhookIcon size={24} />}
            title={missing ? "Request not found" : "Could not load the request"}
            description={missing ? "It may be older than the retention period, or belong to another webhook." : request.error.message}
          />
        </Card>
      </div>
    );
  }

  const data = request.data;
  const disabled = hook.data ? !hook.data.enabled : false;
  const resendBlocked = disabled
    ? "Reactivate the webhook to resend requests."
    : data.status === "pending"
      ? "Still being delivered."
      : null;

  async function onResend() {
    try {
      const resent = await resend.mutateAsync(data.id);
      toast.success("Request queued again; it is sent in a moment.");
      router.push(`/webhooks/${hookId}/recent-requests/${resent.id}`);
    } catch (error) {
      toast.error(error instanceof ApiError ? error.message : "Could not resend the request.");
    }
  }

  return (
    <div className="flex flex-col gap-4">
      {back}
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 tabIndex={-1} data-page-heading className="flex flex-wrap items-center gap-3 text-xl font-semibold text-ink outline-none">
              {data.event}
              <RequestStatus request={data} />
            </h1>
            <p className="mt-1 font-mono text-xs text-ink-muted">{logKeyOf(data.event)}</p>
          </div>
          <div className="flex flex-col items-end gap-1">
            <Button
              variant="secondary"
              icon={<RefreshIcon />}
              loading={resend.isPending}
              disabled={resendBlocked !== null}
              onClick={() => void onResend()}
            >
              Resend
            </Button>
            {resendBlocked && <p className="text-xs text-ink-muted">{resendBlocked}</p>}
          </div>
        </div>
        <dl className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))]">
          <Fact label="Request ID">
            <span className="flex min-w-0 items-center gap-1">
              <code className="truncate font-mono text-xs" data-testid="delivery-id">
                {data.id}
              </code>
              <CopyButton value={data.id} label="Copy request ID" />
            </span>
          </Fact>
          <Fact label="Time">
            <time dateTime={new Date(data.createdAt).toISOString()}>{formatTime(data.createdAt)}</time>
          </Fact>
          <Fact label="Attempts">{data.attempts}</Fact>
          <Fact label="Duration (last attempt)">{formatDuration(data.durationMs)}</Fact>
        </dl>
        {data.resendOfId && (
          <p className="mt-4 text-sm text-ink-muted">
            A manual resend of{" "}
            <Link
              href={`/webhooks/${hookId}/recent-requests/${data.resendOfId}`}
              className="font-mono text-xs text-primary-600 hover:underline"
            >
              {data.resendOfId}
            </Link>
            , signed afresh when sent.
          </p>
        )}
      </Card>

      <Card
        title="Attempts"
        description="Requests of 5xx, 429, timeouts and network errors are retried up to 3 times (an attempt interrupted by a stopped worker is retried at once, not counted against them); all attempts make this one entry."
      >
        <AttemptsTimeline request={data} />
      </Card>

      <Card
        title="Request"
        description={data.requestUrl ? <span className="break-all font-mono text-xs">POST {data.requestUrl}</span> : "Not sent yet."}
      >
        <h3 className="text-sm font-medium text-ink">Headers</h3>
        <div className="mt-2">
          <HeadersTable headers={data.requestHeaders} label="Request headers" />
        </div>
        <h3 className="mt-5 text-sm font-medium text-ink">Body</h3>
        <div className="mt-2">
          <CodeBlock text={data.requestBody} label="request body" />
        </div>
      </Card>

      <Card
        title="Response"
        description={
          data.responseStatus !== null
            ? `Status ${data.responseStatus}. The first 4 KB of the body are kept.`
            : data.attempts > 0
              ? `No response: ${(data.error ?? "request error").replace(/\.$/, "")}.`
              : "No response yet."
        }
      >
        {data.responseStatus !== null && (
          <>
            <h3 className="text-sm font-medium text-ink">Headers</h3>
            <div className="mt-2">
              <HeadersTable headers={data.responseHeaders} label="Response headers" />
            </div>
            <h3 className="mt-5 text-sm font-medium text-ink">Body</h3>
            <div className="mt-2">
              <CodeBlock text={data.responseBody} label="response body" />
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
