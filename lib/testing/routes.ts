// The API's route files, found on disk (lib/http/route-table.ts), and their handlers, so suites
// that must cover every route (protection, fuzzing) pick up new ones without being told.
import { HTTP_METHODS, type ApiRouteFile, type HttpMethod } from "@/lib/http/route-table";

export { apiRouteFiles, HTTP_METHODS, type ApiRouteFile, type HttpMethod } from "@/lib/http/route-table";

export type RouteHandler = (req: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The handlers a route file exports, by method. */
export async function routeHandlers(route: ApiRouteFile): Promise<Partial<Record<HttpMethod, RouteHandler>>> {
  const exported = (await import(route.file)) as Partial<Record<HttpMethod, unknown>>;
  return Object.fromEntries(
    HTTP_METHODS.filter((method) => typeof exported[method] === "function").map((method) => [method, exported[method] as RouteHandler]),
  );
}
