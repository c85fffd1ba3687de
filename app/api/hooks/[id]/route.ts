import { parseOrThrow } from "@/lib/errors";
import { apiRoute, json, noContent, readJson, LOGTO_ERRORS } from "@/lib/http/route";
import { hookQuerySchema, updateHookSchema } from "@/lib/hooks/schemas";
import { deleteHook, getHook, serverSchemaOptions, updateHook } from "@/lib/hooks/service";

type Params = { id: string };
const MAX_BODY_BYTES = 64 * 1024;

export const GET = apiRoute<Params>(
  "admin",
  async ({ params, url }) => {
    const { includeExecutionStats } = parseOrThrow(hookQuerySchema, Object.fromEntries(url.searchParams), "query");
    return json(await getHook(params.id, { includeStats: includeExecutionStats }));
  },
  LOGTO_ERRORS,
);

export const PATCH = apiRoute<Params>(
  "admin",
  async ({ params, req }) => {
    const input = parseOrThrow(updateHookSchema(serverSchemaOptions()), await readJson(req, MAX_BODY_BYTES));
    return json(await updateHook(params.id, input));
  },
  LOGTO_ERRORS,
);

export const DELETE = apiRoute<Params>(
  "admin",
  async ({ params }) => {
    await deleteHook(params.id);
    return noContent();
  },
  LOGTO_ERRORS,
);
