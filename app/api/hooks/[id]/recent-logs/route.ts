import { parseOrThrow } from "@/lib/errors";
import { paginationHeaders } from "@/lib/http/pagination";
import { recentLogsQuerySchema } from "@/lib/deliveries/schemas";
import { apiRoute, json, LOGTO_ERRORS } from "@/lib/http/route";
import { recentLogs } from "@/lib/deliveries/service";

type Params = { id: string };

/** Logto's recent-logs: `page`, `page_size`, `logKey`, `start_time`/`end_time` (ms); Total-Number and Link headers. */
export const GET = apiRoute<Params>(
  "admin",
  async ({ params, url, ctx }) => {
    const { items, total, page, pageSize } = await recentLogs(
      ctx,
      params.id,
      parseOrThrow(recentLogsQuerySchema, Object.fromEntries(url.searchParams), "query"),
    );
    return json(items, { headers: paginationHeaders(url, { page, pageSize, total }) });
  },
  LOGTO_ERRORS,
);
