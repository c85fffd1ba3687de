// The API's route files, found on disk: the server answers 405 (with Allow) for a method a route
// does not export, and suites that must cover every route pick up new ones without being told.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { defined } from "@/lib/assert";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

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
      return {
        file,
        urlPath,
        paramNames: [...urlPath.matchAll(/\[(\w+)\]/g)].map(([, name]) => defined(name, "a dynamic segment's name")),
      };
    })
    .sort((a, b) => a.urlPath.localeCompare(b.urlPath));
}

export type RouteMethods = { pattern: RegExp; allow: string[] };

const EXPORTED_METHOD = /export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g;

/**
 * Each route's path pattern and the methods it answers, read from the source (the server must not
 * load the route modules a second time next to Next's bundle). HEAD and OPTIONS come with Next.
 */
export function apiRouteMethods(apiDir = path.resolve("app/api")): RouteMethods[] {
  return apiRouteFiles(apiDir).map((route) => {
    const exported = new Set([...readFileSync(route.file, "utf8").matchAll(EXPORTED_METHOD)].map((match) => match[1]));
    const methods = HTTP_METHODS.filter((method) => exported.has(method));
    const allow = [...methods, ...(exported.has("GET") ? ["HEAD"] : []), "OPTIONS"];
    const pattern = new RegExp(`^${route.urlPath.replace(/\[\w+\]/g, "[^/]+")}/?$`);
    return { pattern, allow };
  });
}
