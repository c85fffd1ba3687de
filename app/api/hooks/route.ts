import { parseOrThrow } from "@/lib/errors";
import { paginationHeaders } from "@/lib/http/pagination";
import { apiRoute, json, readJson, LOGTO_ERRORS } from "@/lib/http/route";
import { createHookSchema, listHooksQuerySchema } from "@/lib/hooks/schemas";
import { createHook, DEFAULT_PAGE_SIZE, listHooks, serverSchemaOptions } from "@/lib/hooks/service";

const MAX_BODY_BYTES = 64 * 1024;

export const GET = apiRoute(
  "admin",
  async ({ url, ctx }) => {
    const query = parseOrThrow(listHooksQuerySchema, Object.fromEntries(url.searchParams), "query");
    const { items, total } = await listHooks(ctx, {
      page: query.page,
      pageSize: query.page_size,
      includeStats: query.includeExecutionStats,
    });
    // As Logto: without `page` or `page_size` the list is unpaged and carries no pagination headers.
    if (query.page === undefined && query.page_size === undefined) return json(items);
    const headers = paginationHeaders(url, { page: query.page ?? 1, pageSize: query.page_size ?? DEFAULT_PAGE_SIZE, total });
    return json(items, { headers });
  },
  LOGTO_ERRORS,
);

export const POST = apiRoute(
  "admin",
  async ({ req, ctx }) => {
    const input = parseOrThrow(createHookSchema(serverSchemaOptions(ctx)), await readJson(req, MAX_BODY_BYTES));
    return json(await createHook(ctx, input), { status: 201 });
  },
  LOGTO_ERRORS,
);
