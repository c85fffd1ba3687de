import { parseOrThrow } from "@/lib/errors";
import { apiRoute, json, noContent, readJson, LOGTO_ERRORS } from "@/lib/http/route";
import { hookQuerySchema, updateHookSchema } from "@/lib/hooks/schemas";
import { deleteHook, getHook, serverSchemaOptions, updateHook } from "@/lib/hooks/service";

type Params = { id: string };
const MAX_BODY_BYTES = 64 * 1024;

export const GET = apiRoute<Params>(
  "admin",
  async ({ params, url, ctx }) => {
    const { includeExecutionStats } = parseOrThrow(hookQuerySchema, Object.fromEntries(url.searchParams), "query");
    return json(await getHook(ctx, params.id, { includeStats: includeExecutionStats }));
  },
  LOGTO_ERRORS,
);

export const PATCH = apiRoute<Params>(
  "admin",
  async ({ params, req, ctx }) => {
    const input = parseOrThrow(updateHookSchema(serverSchemaOptions(ctx)), await readJson(req, MAX_BODY_BYTES));
    return json(await updateHook(ctx, params.id, input));
  },
  LOGTO_ERRORS,
);

export const DELETE = apiRoute<Params>(
  "admin",
  async ({ params, ctx }) => {
    await deleteHook(ctx, params.id);
    return noContent();
  },
  LOGTO_ERRORS,
);
