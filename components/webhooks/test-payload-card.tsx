"use client";

import { useEffect, useRef, useState } from "react";
import { Button, Card, cn } from "@/components/ui";
import { ApiError } from "@/lib/client/api";
import { useSendTestPayload, type TestPayloadBody, type TestPayloadResult } from "./queries";

export type TestPayloadCardProps = {
  hookId: string;
  /** The form's current URL, headers and events, or null when they are invalid (the form then
   * shows why). */
  getInput: () => Promise<TestPayloadBody | null>;
};

/** "Send test payload": a sample payload per selected event, sent for real but never logged. */
export function TestPayloadCard({ hookId, getInput }: TestPayloadCardProps) {
  const send = useSendTestPayload(hookId);
  const [endpoint, setEndpoint] = useState("");
  const resultRef = useRef<HTMLDivElement>(null);
  const settled = send.isError || send.isSuccess;

  // The result lands below the button, often below the fold: bring it into view and move focus
  // there, so sighted and screen-reader users alike meet it (as Logto's result dialog does).
  useEffect(() => {
    if (!settled) return;
    resultRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    resultRef.current?.focus({ preventScroll: true });
  }, [settled, send.submittedAt]);

  async function onSend() {
    const input = await getInput();
    if (!input) return;
    setEndpoint(input.config.url);
    send.mutate(input);
  }

  return (
    <Card
      title="Test"
      description="Sends a sample payload with fake data for each selected event to the endpoint URL above, with the custom headers, as they are in the form now. Test requests are not shown in recent requests."
    >
      <Button variant="secondary" loading={send.isPending} onClick={onSend}>
        Send test payload
      </Button>
      <div aria-live="polite">
        {settled && (
          <div
            ref={resultRef}
            tabIndex={-1}
            role="group"
            aria-label="Test result"
            data-testid="test-result"
            className="mt-4 flex scroll-mt-24 flex-col gap-3 rounded-lg border border-line p-4 focus:outline-none focus-visible:outline-2"
          >
            <dl className="grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
              <dt className="font-medium text-ink-muted">Endpoint URL</dt>
              <dd className="break-all text-ink">{endpoint}</dd>
            </dl>
            {send.isError && <TestError error={send.error} />}
            {send.isSuccess &&
              (send.data === null ? (
                <p className="text-sm text-green-700">The endpoint accepted every test payload.</p>
              ) : (
                <TestResults results={send.data} />
              ))}
            <div>
              <Button size="sm" onClick={() => send.reset()}>
                Got it
              </Button>
            </div>
          </div>
        )}
      </div>
    </Card>
  );
}

function ResponseBody({ text }: { text: string | null }) {
  if (!text) return <p className="text-xs text-ink-muted">Empty response body</p>;
  return (
    <pre
      role="region"
      tabIndex={0}
      aria-label="Response body"
      className="max-h-32 overflow-auto whitespace-pre-wrap break-all rounded bg-canvas px-2 py-1 font-mono text-xs text-ink"
    >
      {text}
    </pre>
  );
}

function TestError({ error }: { error: Error }) {
  // Logto's contract without details: 422 with the failing response's status and body.
  const body = error instanceof ApiError ? error.body : {};
  const status = typeof body.responseStatus === "number" ? body.responseStatus : null;
  const responseBody = typeof body.responseBody === "string" ? body.responseBody : null;
  return (
    <div role="alert" className="flex flex-col gap-2 text-sm">
      <p className="font-medium text-red-700">
        {status !== null ? `The endpoint answered ${status}.` : error.message || "Could not send the test payload."}
      </p>
      {status !== null && <ResponseBody text={responseBody} />}
    </div>
  );
}

function TestResults({ results }: { results: TestPayloadResult[] }) {
  const failed = results.filter((result) => !result.ok).length;
  return (
    <div className="flex flex-col gap-2">
      <p className={cn("text-sm font-medium", failed ? "text-red-700" : "text-green-700")}>
        {failed === 0
          ? `All ${results.length} test ${results.length === 1 ? "payload was" : "payloads were"} accepted.`
          : `${failed} of ${results.length} test ${results.length === 1 ? "payload" : "payloads"} failed.`}
      </p>
      <ul aria-label="Test results" className="divide-y divide-line rounded-md border border-line">
        {results.map((result) => (
          <li key={result.event} className="flex flex-col gap-1.5 px-3 py-2 text-sm">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <code className="break-all text-[13px] text-ink">{result.event}</code>
            </div>
            <dl className="grid grid-cols-[7rem_1fr] gap-x-2 gap-y-1 text-xs">
              <dt className="text-ink-muted">Status</dt>
              <dd>
                <span
                  className={cn(
                    "rounded-full px-2 py-0.5 font-medium tabular-nums",
                    result.ok ? "bg-green-50 text-green-700" : "bg-red-50 text-red-700",
                  )}
                >
                  {result.status ?? "No response"}
                </span>
              </dd>
              <dt className="text-ink-muted">Request time</dt>
              <dd className="tabular-nums text-ink">{result.durationMs !== null ? `${result.durationMs} ms` : "-"}</dd>
            </dl>
            {/* A failing status keeps the body the endpoint answered: it usually says why. */}
            {result.error && result.status === null ? (
              <p className="text-xs text-red-700">{result.error}</p>
            ) : (
              <ResponseBody text={result.responseExcerpt} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
