import { OPERATIONS, openApiDocument } from "@/lib/openapi/document";

export const metadata = { title: "API reference · Webhook Console" };

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
      <div>
        <h1 className="text-xl font-semibold text-ink">API reference</h1>
        <p className="mt-1 text-sm text-ink-muted">
          {document.info.description} Machine-readable: <a className="underline" href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
        </p>
      </div>
      <table className="w-full text-left text-sm" data-testid="api-reference">
        <thead className="text-ink-muted">
          <tr>
            <th className="py-2 pr-4 font-medium">Method</th>
            <th className="py-2 pr-4 font-medium">Path</th>
            <th className="py-2 pr-4 font-medium">What it does</th>
            <th className="py-2 pr-4 font-medium">Auth</th>
            <th className="py-2 font-medium">Statuses</th>
          </tr>
        </thead>
        <tbody>
          {OPERATIONS.map((operation) => {
            const responses = (document.paths[operation.path]?.[operation.method] as { responses: Record<string, unknown> }).responses;
            return (
              <tr key={`${operation.method} ${operation.path}`} className="border-t border-line align-top">
                <td className="py-2 pr-4 font-mono uppercase">{operation.method}</td>
                <td className="py-2 pr-4 font-mono break-all">{operation.path}</td>
                <td className="py-2 pr-4 text-ink">{operation.summary}</td>
                <td className="py-2 pr-4 text-ink-muted">{AUTH_LABELS[operation.auth]}</td>
                <td className="py-2 font-mono text-ink-muted">{Object.keys(responses).join(" ")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
