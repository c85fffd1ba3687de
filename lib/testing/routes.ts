// The API's route files, found on disk, so suites that must cover every route (protection,
// fuzzing) pick up new ones without being told.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type RouteHandler = (req: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type ApiRouteFile = {
  file: string;
  /** e.g. /api/hooks/[id]/test */
  urlPath: string;
  /** Dynamic segment names in order, e.g. ["id"]. */
  paramNames: string[];
};

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return entry === "route.ts" ? [full] : [];
  });
}

export function apiRouteFiles(apiDir = path.resolve("app/api")): ApiRouteFile[] {
  return routeFiles(apiDir)
    .map((file) => {
      const urlPath = ("/api/" + path.relative(apiDir, path.dirname(file)).split(path.sep).join("/")).replace(/\/$/, "");
      return { file, urlPath, paramNames: [...urlPath.matchAll(/\[(\w+)\]/g)].map((match) => match[1]) };
    })
    .sort((a, b) => a.urlPath.localeCompare(b.urlPath));
}

/** The handlers a route file exports, by method. */
export async function routeHandlers(route: ApiRouteFile): Promise<Partial<Record<HttpMethod, RouteHandler>>> {
  const exported = (await import(route.file)) as Partial<Record<HttpMethod, unknown>>;
  return Object.fromEntries(
    HTTP_METHODS.filter((method) => typeof exported[method] === "function").map((method) => [method, exported[method] as RouteHandler]),
  );
}
