// The one hook schema module, shared by the API, server actions and the console forms. It must
// stay browser-safe: zod, the event catalog and the pure address rules only, nothing server-side.
// The local-endpoints flag is passed in (the server reads it from config, the browser gets it
// from GET /api/config), so the same rules run on both sides.
import { z } from "zod";
import { bareHostname, forbiddenHostReason } from "@/lib/net/address";
import { HOOK_EVENTS } from "./events";

// Zod-free, in events.ts for the webhooks list; re-exported for the other callers.
export { subscribedEvents } from "./events";

/** The server setting the URL check depends on; `GET /api/config` answers it so the console's form judges URLs like the server. */
export const hookSchemaOptionsSchema = z.object({ allowLocalEndpoints: z.boolean() });
export type HookSchemaOptions = z.infer<typeof hookSchemaOptionsSchema>;

export const HOOK_NAME_MAX = 256;
export const HOOK_URL_MAX = 2048;
export const HOOK_HEADERS_MAX = 20;
export const HEADER_VALUE_MAX = 1024;
/** Logto's `config.retries` bounds: a hook's retry budget is 0 to 3 retries, 3 when not given. */
export const HOOK_RETRIES = 3;

/**
 * Header names the service sets itself. `user-agent` is deliberately NOT reserved: Logto lets a
 * custom header override its user agent, and receivers sometimes allow-list one.
 */
export const RESERVED_HEADER_NAMES: readonly string[] = [
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  // Hop-by-hop headers the HTTP client refuses or that would corrupt the request.
  "keep-alive",
  "upgrade",
  "expect",
  "te",
  "trailer",
  // Our signatures.
  "logto-signature-sha-256",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
];

export const EVENTS_REQUIRED = "You have to select at least one event.";

const isMissing = (input: unknown) => input === undefined || input === null;

// ---- name, events -----------------------------------------------------------------------------

export const hookNameSchema = z
  .string({ error: (issue) => (isMissing(issue.input) ? "Enter a name." : "The name must be text.") })
  .trim()
  .min(1, { error: "Enter a name.", abort: true })
  .max(HOOK_NAME_MAX, `Use at most ${HOOK_NAME_MAX} characters.`);

export const hookEventSchema = z.enum(HOOK_EVENTS, {
  // Not String(input): an object with a non-callable toString (JSON can send one) makes it throw.
  error: (issue) => (typeof issue.input === "string" ? `Unknown event "${issue.input}".` : "Each event must be an event name."),
});

/** Non-empty list of known events, deduplicated in the order given. */
export const hookEventsSchema = z
  .array(hookEventSchema, {
    error: (issue) => (isMissing(issue.input) ? EVENTS_REQUIRED : "Events must be a list of event names."),
  })
  .min(1, EVENTS_REQUIRED)
  .transform((events) => [...new Set(events)]);

// ---- endpoint URL -----------------------------------------------------------------------------

function describeReason(host: string, reason: string) {
  if (reason === "local host name") return `${host} is a local host name`;
  if (reason === "missing host") return "the URL has no host";
  return `${host} is a ${reason} address`;
}

/** Why an endpoint URL is unacceptable (before any DNS lookup), or null when it is fine. */
export function endpointUrlProblem(raw: string, { allowLocalEndpoints }: HookSchemaOptions): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter an absolute URL, like https://example.com/webhook.";
  }
  const secure = url.protocol === "https:";
  if (!secure && !(allowLocalEndpoints && url.protocol === "http:")) {
    return allowLocalEndpoints ? "Use an http:// or https:// URL." : "Use an https:// URL.";
  }
  // fetch refuses URLs with credentials; they would also end up in logs.
  if (url.username || url.password) return "Remove the user name and password from the URL; send credentials in a custom header.";
  if (allowLocalEndpoints) return null;
  const host = bareHostname(url);
  const reason = forbiddenHostReason(host);
  return reason ? `The endpoint must be on the public internet: ${describeReason(host, reason)}.` : null;
}

export function endpointUrlSchema(options: HookSchemaOptions) {
  return z
    .string({ error: (issue) => (isMissing(issue.input) ? "Enter the endpoint URL." : "The URL must be text.") })
    .trim()
    .min(1, { error: "Enter the endpoint URL.", abort: true })
    .max(HOOK_URL_MAX, { error: `Use at most ${HOOK_URL_MAX} characters.`, abort: true })
    .superRefine((value, ctx) => {
      const problem = endpointUrlProblem(value, options);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

// ---- custom headers ---------------------------------------------------------------------------

export type HeaderRow = { key: string; value: string };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Printable ASCII plus tab: the HTTP client only sends byte strings, and control characters
// would allow header injection.
const PRINTABLE = /^[\t\x20-\x7e]*$/;
const RESERVED = new Set(RESERVED_HEADER_NAMES);

type HeaderEntry = HeaderRow & { keyPath: PropertyKey[]; valuePath: PropertyKey[] };

/**
 * Validates header entries (already trimmed, empty rows dropped) and reports each problem at the
 * entry's own path, so forms show it on the right row and API clients see which header failed.
 */
function checkHeaders(entries: HeaderEntry[], ctx: z.RefinementCtx, requireValues = false) {
  if (entries.length > HOOK_HEADERS_MAX) {
    ctx.addIssue({ code: "custom", path: [], message: `Use at most ${HOOK_HEADERS_MAX} custom headers.` });
  }
  const seen = new Set<string>();
  for (const { key, value, keyPath, valuePath } of entries) {
    const lower = key.toLowerCase();
    if (key === "") {
      ctx.addIssue({ code: "custom", path: keyPath, message: "Enter a header name." });
    } else if (!TOKEN.test(key)) {
      ctx.addIssue({ code: "custom", path: keyPath, message: "Use letters, digits and !#$%&'*+-.^_`|~ only, without spaces." });
    } else if (RESERVED.has(lower)) {
      ctx.addIssue({ code: "custom", path: keyPath, message: `"${key}" is set by the webhook service and can't be overridden.` });
    } else if (seen.has(lower)) {
      ctx.addIssue({ code: "custom", path: keyPath, message: `"${key}" is already set (header names ignore case).` });
    }
    seen.add(lower);
    if (requireValues && value === "") {
      ctx.addIssue({ code: "custom", path: valuePath, message: "Value is required" });
    } else if (!PRINTABLE.test(value)) {
      ctx.addIssue({ code: "custom", path: valuePath, message: "Use printable ASCII characters only." });
    } else if (value.length > HEADER_VALUE_MAX) {
      ctx.addIssue({ code: "custom", path: valuePath, message: `Use at most ${HEADER_VALUE_MAX} characters.` });
    }
  }
}

const toRows = (entries: HeaderEntry[]): HeaderRow[] => entries.map(({ key, value }) => ({ key, value }));

const headerRowSchema = z.object({
  key: z.string({ error: "The header name must be text." }),
  value: z.string({ error: "The header value must be text." }),
});

/**
 * The form (and API) shape: ordered `[{key, value}]` rows; rows left fully blank are dropped.
 * `requireValues`: the console's forms refuse a named header without a value, as Logto's console
 * does ("Value is required"); the API keeps accepting one, as Logto's API does.
 */
const headerRowsSchemaOf = (requireValues: boolean) =>
  z.array(headerRowSchema, { error: "Headers must be a list of {key, value} pairs or an object." }).transform((rows, ctx) => {
    const entries = rows.flatMap((row, index) => {
      const key = row.key.trim();
      const value = row.value.trim();
      return key === "" && value === "" ? [] : [{ key, value, keyPath: [index, "key"], valuePath: [index, "value"] }];
    });
    checkHeaders(entries, ctx, requireValues);
    return toRows(entries);
  });

export const headerRowsSchema = headerRowsSchemaOf(false);
const formHeaderRowsSchema = headerRowsSchemaOf(true);

/** Logto's API shape: a plain `{name: value}` object; problems are reported at `headers.<name>`. */
const headerObjectSchema = z.record(z.string(), z.string({ error: "The header value must be text." })).transform((record, ctx) => {
  const entries = Object.entries(record).flatMap(([rawKey, rawValue]) => {
    const key = rawKey.trim();
    const value = rawValue.trim();
    return key === "" && value === "" ? [] : [{ key, value, keyPath: [rawKey], valuePath: [rawKey] }];
  });
  checkHeaders(entries, ctx);
  return toRows(entries);
});

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Either shape in, the ordered rows out. Dispatched by hand rather than with z.union, which
 * would collapse a failing branch into a bare "Invalid input" and lose the per-header paths.
 */
export const headersSchema = z
  .custom<HeaderRow[] | Record<string, string>>((value) => Array.isArray(value) || isPlainObject(value), {
    error: "Headers must be a list of {key, value} pairs or an object.",
  })
  .transform((value, ctx): HeaderRow[] => {
    const result = (Array.isArray(value) ? headerRowsSchema : headerObjectSchema).safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return z.NEVER;
  });

/** Stored rows back from the database; anything malformed reads as no headers. */
const storedHeadersSchema = z.array(z.object({ key: z.string(), value: z.string() })).catch([]);

export const headersToObject = (rows: HeaderRow[]): Record<string, string> =>
  Object.fromEntries(rows.map(({ key, value }) => [key, value]));

// ---- config and whole-hook inputs --------------------------------------------------------------

const retriesSchema = z
  .number({ error: "retries must be a number." })
  .int()
  .min(0, "retries must be between 0 and 3.")
  .max(HOOK_RETRIES, "retries must be between 0 and 3.");

function configSchema<H extends z.ZodType<HeaderRow[]>>(options: HookSchemaOptions, headers: H) {
  return z.object(
    {
      url: endpointUrlSchema(options),
      headers: headers.optional().transform((rows): HeaderRow[] => rows ?? []),
      // Logto's (deprecated) retry count: stored as given, echoed, and the hook's retry budget.
      retries: retriesSchema.optional(),
    },
    { error: (issue) => (isMissing(issue.input) ? "Enter the endpoint URL." : "config must be an object.") },
  );
}

const enabledSchema = z.boolean({ error: "enabled must be true or false." });

// Schemas are built once per flag value: forms re-validate on every keystroke.
function memoByFlag<T>(build: (options: HookSchemaOptions) => T) {
  const cache = new Map<boolean, T>();
  return (options: HookSchemaOptions): T => {
    let schema = cache.get(options.allowLocalEndpoints);
    if (!schema) {
      schema = build(options);
      cache.set(options.allowLocalEndpoints, schema);
    }
    return schema;
  };
}

/** `config` as the API takes it (headers as an object or rows); also used by the test route. */
export const hookConfigSchema = memoByFlag((options) => configSchema(options, headersSchema));

/** Logto's `name` on the API: optional ("" when not given), but not empty when given. */
const apiHookNameSchema = z
  .string({ error: "The name must be text." })
  .trim()
  .min(1, "The name can't be empty; leave it out instead.")
  .max(HOOK_NAME_MAX, `Use at most ${HOOK_NAME_MAX} characters.`);

/**
 * POST /api/hooks: `{name?, events?, event?, config: {url, headers?, retries?}, enabled?}`. Both
 * `events` and Logto's legacy `event` are stored as given (Logto echoes them so); neither is not
 * a malformed body but Logto's `hook.missing_events`, which createHook answers.
 */
export const createHookSchema = memoByFlag((options) =>
  z
    .object({
      name: apiHookNameSchema.optional(),
      events: hookEventsSchema.optional(),
      event: hookEventSchema.optional(),
      config: hookConfigSchema(options),
      enabled: enabledSchema.optional(),
    })
    .transform(({ name, events, ...rest }) => ({ ...rest, name: name ?? "", events: events ?? [] })),
);

/**
 * PATCH /api/hooks/:id: every field optional; `config`, when given, replaces the old one whole
 * (its `retries` too); `event: null` clears the legacy event.
 */
export const updateHookSchema = memoByFlag((options) =>
  z.object({
    name: apiHookNameSchema.optional(),
    events: hookEventsSchema.optional(),
    event: hookEventSchema.nullable().optional(),
    config: hookConfigSchema(options).optional(),
    enabled: enabledSchema.optional(),
  }),
);

/**
 * The console's create and settings forms: the same rules, with headers always as rows (the
 * editor's shape), so error paths such as `config.headers.2.key` name the form field.
 */
export const hookFormSchema = memoByFlag((options) =>
  z.object({
    name: hookNameSchema,
    events: hookEventsSchema,
    config: configSchema(options, formHeaderRowsSchema),
  }),
);

export const regenerateSigningKeySchema = z
  .object({
    gracePeriodHours: z
      .number({ error: "gracePeriodHours must be a number of hours." })
      .min(0, "Use 0 to 72 hours.")
      .max(72, "Use 0 to 72 hours.")
      .optional(),
  })
  .optional()
  .transform((value) => ({ gracePeriodHours: value?.gracePeriodHours ?? 0 }));

/** GET /api/hooks query: pagination is off unless `page` or `page_size` is given (as Logto). */
export const listHooksQuerySchema = z.object({
  page: z.coerce.number({ error: "page must be a number." }).int("page must be a whole number.").min(1, "page starts at 1.").optional(),
  page_size: z.coerce
    .number({ error: "page_size must be a number." })
    .int("page_size must be a whole number.")
    .min(1, "page_size must be between 1 and 100.")
    .max(100, "page_size must be between 1 and 100.")
    .optional(),
  includeExecutionStats: booleanParam(),
});

/** `?includeExecutionStats=true` and the like, on the single-hook routes too. */
export const hookQuerySchema = z.object({ includeExecutionStats: booleanParam() });

function booleanParam() {
  return z
    .string()
    .optional()
    .transform((value) => value !== undefined && ["true", "1", "yes", "y"].includes(value.toLowerCase()));
}

export type HookFormValues = z.input<ReturnType<typeof hookFormSchema>>;
export type CreateHookInput = z.input<ReturnType<typeof createHookSchema>>;
export type UpdateHookInput = z.input<ReturnType<typeof updateHookSchema>>;
export type ParsedCreateHook = z.output<ReturnType<typeof createHookSchema>>;
export type ParsedUpdateHook = z.output<ReturnType<typeof updateHookSchema>>;
export type RegenerateSigningKeyInput = z.input<typeof regenerateSigningKeySchema>;
export type ParsedRegenerateSigningKey = z.output<typeof regenerateSigningKeySchema>;

// ---- output -----------------------------------------------------------------------------------

export const executionStatsSchema = z.object({ successCount: z.number().int(), requestCount: z.number().int() });
export type ExecutionStats = z.infer<typeof executionStatsSchema>;

/** What a stored hook looks like to the output function (a subset of the Prisma row). */
export type StoredHook = {
  id: string;
  name: string;
  /** Logto's legacy single event, as given. */
  event: string | null;
  events: string[];
  /** Logto's `config.retries` as given (null: not given, the default budget). */
  retries: number | null;
  url: string;
  headers: unknown;
  signingKey: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  previousKeyExpiresAt?: Date | null;
  /** Set when the service disabled the hook itself (auto-disable). */
  disabledReason?: string | null;
  disabledAt?: Date | null;
  /** The circuit breaker's row (lib/delivery/queue.ts); absent or null: never failed. */
  health?: StoredHealth | null;
  /** Pending deliveries an open circuit holds (counted only for open circuits). */
  heldCount?: number;
};

export type StoredHealth = {
  consecutiveFailures: number;
  failingSince: Date | null;
  openedAt: Date | null;
  nextProbeAt: Date | null;
  lastError: string | null;
};

export const HOOK_HEALTH_STATES = ["healthy", "failing", "circuit_open", "auto_disabled"] as const;
export type HookHealthState = (typeof HOOK_HEALTH_STATES)[number];

/** Our addition to Logto's hook: the endpoint's health (times in epoch ms, like createdAt). */
export const hookHealthOutputSchema = z.object({
  state: z.enum(HOOK_HEALTH_STATES),
  /** When the current state began; null while healthy. */
  since: z.number().nullable(),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  /** Open circuit: when the next probe goes out (null once auto-disabled: no probes). */
  nextProbeAt: z.number().nullable(),
  /** Pending deliveries held back by the open circuit (kept, sent once it closes). */
  held: z.number().int(),
  disabledReason: z.string().nullable(),
});
export type HookHealthOutput = z.infer<typeof hookHealthOutputSchema>;

export function healthOutput(hook: StoredHook): HookHealthOutput {
  const health = hook.health ?? null;
  const common = {
    lastError: health?.lastError ?? null,
    consecutiveFailures: health?.consecutiveFailures ?? 0,
    held: health?.openedAt ? (hook.heldCount ?? 0) : 0,
    disabledReason: hook.disabledReason ?? null,
  };
  if (!hook.enabled && hook.disabledReason) {
    return { ...common, state: "auto_disabled", since: hook.disabledAt?.getTime() ?? null, nextProbeAt: null };
  }
  if (health?.openedAt) {
    return {
      ...common,
      state: "circuit_open",
      since: health.openedAt.getTime(),
      nextProbeAt: hook.enabled ? (health.nextProbeAt?.getTime() ?? null) : null,
    };
  }
  if (health && health.consecutiveFailures > 0) {
    return { ...common, state: "failing", since: health.failingSince?.getTime() ?? null, nextProbeAt: null };
  }
  return { ...common, state: "healthy", since: null, lastError: null, nextProbeAt: null };
}

/**
 * Logto's Hook JSON exactly, plus `previousKeyExpiresAt` (epoch ms; null unless a rotation with
 * our `gracePeriodHours` keeps the old key valid, so it never changes under Logto's clients): the
 * contract the console and the tests parse responses with. No `updatedAt`: it changes on every
 * update, which breaks Logto's `toMatchObject(created)`.
 */
export const hookOutputSchema = z.object({
  tenantId: z.literal("default"),
  id: z.string(),
  name: z.string(),
  event: z.string().nullable(),
  events: z.array(z.string()),
  config: z.object({ url: z.string(), headers: z.record(z.string(), z.string()), retries: z.number().int().optional() }),
  signingKey: z.string(),
  enabled: z.boolean(),
  createdAt: z.number(),
  previousKeyExpiresAt: z.number().nullable(),
  executionStats: executionStatsSchema.optional(),
  health: hookHealthOutputSchema,
});
export type HookOutput = z.infer<typeof hookOutputSchema>;

/**
 * One event's outcome from `POST /api/hooks/:id/test?details=true`: the last status (null when no
 * response came back), how long it took (null when it never started), the start of the response
 * body (up to 4 KB).
 */
export const testPayloadResultSchema = z.object({
  event: z.string(),
  ok: z.boolean(),
  status: z.number().int().nullable(),
  durationMs: z.number().nullable(),
  responseExcerpt: z.string().nullable(),
  error: z.string().nullable(),
});
export type TestPayloadResult = z.infer<typeof testPayloadResultSchema>;
export const testPayloadResultsSchema = z.object({ results: z.array(testPayloadResultSchema) });

export const storedHeaderRows = (headers: unknown): HeaderRow[] => storedHeadersSchema.parse(headers);

/** The only shape a hook leaves the server in (API, server actions, pages). */
export function hookOutput(hook: StoredHook, stats?: ExecutionStats, now = Date.now()): HookOutput {
  const previousExpiry = hook.previousKeyExpiresAt?.getTime() ?? null;
  return {
    tenantId: "default",
    id: hook.id,
    name: hook.name,
    event: hook.event,
    events: hook.events,
    // `retries` only when it was given, as Logto stores and echoes `config`.
    config: {
      url: hook.url,
      headers: headersToObject(storedHeaderRows(hook.headers)),
      ...(hook.retries !== null ? { retries: hook.retries } : {}),
    },
    signingKey: hook.signingKey,
    enabled: hook.enabled,
    createdAt: hook.createdAt.getTime(),
    previousKeyExpiresAt: previousExpiry !== null && previousExpiry > now ? previousExpiry : null,
    ...(stats ? { executionStats: stats } : {}),
    health: healthOutput(hook),
  };
}
