import { PageHeader } from "@/components/shell/page-header";
import { Card } from "@/components/ui/card";
import { OPERATIONS, openApiDocument } from "@/lib/openapi/document";

export const metadata = { title: "API reference" };

const AUTH_LABELS: Record<string, string> = {
  admin: "admin key or session",
  ingest: "ingest or admin key",
  session: "signed-in admin",
  cron: "CRON_SECRET",
  public: "public",
};

// The OpenAPI document rendered on the server as plain HTML: no script, so it works under the
// strict CSP. The full machine-readable document is /api/openapi.json.
export default function ApiReferencePage() {
  const document = openApiDocument();
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="API reference"
        description={
          <>
            {document.info.description} Machine-readable:{" "}
            <a className="break-all underline" href="/api/openapi.json">
              /api/openapi.json
            </a>{" "}
            (OpenAPI 3.1).
          </>
        }
      />
      <Card flush>
        {/* The table scrolls inside its card on a phone (the page does not); a region the keyboard can scroll. */}
        <div role="region" aria-label="Operations" tabIndex={0} className="overflow-x-auto rounded-xl">
          <table className="w-full min-w-[44rem] text-left text-sm" data-testid="api-reference">
            <thead className="text-ink-muted">
              <tr>
                <th className="py-2.5 pl-4 pr-4 font-medium sm:pl-6">Method</th>
                <th className="py-2.5 pr-4 font-medium">Path</th>
                <th className="py-2.5 pr-4 font-medium">What it does</th>
                <th className="py-2.5 pr-4 font-medium">Auth</th>
                <th className="py-2.5 pr-4 font-medium sm:pr-6">Statuses</th>
              </tr>
            </thead>
            <tbody>
              {OPERATIONS.map((operation) => {
                const responses = (document.paths[operation.path]?.[operation.method] as { responses: Record<string, unknown> }).responses;
                return (
                  <tr key={`${operation.method} ${operation.path}`} className="border-t border-line align-top">
                    <td className="py-2 pl-4 pr-4 font-mono uppercase sm:pl-6">{operation.method}</td>
                    <td className="whitespace-nowrap py-2 pr-4 font-mono">{operation.path}</td>
                    <td className="py-2 pr-4 text-ink">{operation.summary}</td>
                    <td className="py-2 pr-4 text-ink-muted">{AUTH_LABELS[operation.auth]}</td>
                    <td className="py-2 pr-4 font-mono text-ink-muted sm:pr-6">{Object.keys(responses).join(" ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
