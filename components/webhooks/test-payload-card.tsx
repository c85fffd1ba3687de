"use client";

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

  async function onSend() {
    const input = await getInput();
    if (input) send.mutate(input);
  }

  return (
    <Card
      title="Test"
      description="Sends a sample payload with fake data for each selected event to the endpoint URL above, with the custom headers, as they are in the form now. Test requests are not shown in recent requests."
    >
      <Button variant="secondary" loading={send.isPending} onClick={onSend}>
        Send test payload
      </Button>
      <div aria-live="polite" className="mt-3 empty:mt-0">
        {send.isError && <TestError error={send.error} />}
        {send.isSuccess &&
          (send.data === null ? (
            <p className="text-sm text-green-700">The endpoint accepted every test payload.</p>
          ) : (
            <TestResults results={send.data} />
          ))}
      </div>
    </Card>
  );
}

function TestError({ error }: { error: Error }) {
  // Logto's contract without details: 422 with the failing response's status and body.
  const body = error instanceof ApiError ? error.body : {};
  const status = typeof body.responseStatus === "number" ? body.responseStatus : null;
  const responseBody = typeof body.responseBody === "string" ? body.responseBody : null;
  return (
    <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      <p>{status !== null ? `The endpoint answered ${status}.` : error.message || "Could not send the test payload."}</p>
      {responseBody && <pre className="mt-1 max-h-32 overflow-auto whitespace-pre-wrap break-all text-xs">{responseBody}</pre>}
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
          <li key={result.event} className="flex flex-col gap-1 px-3 py-2 text-sm">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span
                className={cn(
                  "rounded-full px-2 py-0.5 text-xs font-medium tabular-nums",
                  result.ok ? "bg-green-50 text-green-700" : "bg-red-50 text-red-700",
                )}
              >
                {result.status ?? "No response"}
              </span>
              <code className="text-[13px] text-ink">{result.event}</code>
              {result.durationMs !== null && <span className="text-xs text-ink-muted">{result.durationMs} ms</span>}
            </div>
            {result.error ? (
              <p className="text-xs text-red-700">{result.error}</p>
            ) : (
              result.responseExcerpt && (
                <pre className="max-h-24 overflow-auto whitespace-pre-wrap break-all rounded bg-canvas px-2 py-1 text-xs text-ink-muted">
                  {result.responseExcerpt}
                </pre>
              )
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
