// Fuzzing: every POST/PATCH/PUT handler under app/api (found on disk, so new routes are covered)
// gets thousands of random and malformed bodies with an admin API key, and every GET handler
// random query strings. Never a 5xx; every 4xx is the error envelope; a rejected request stores
// nothing (row counts move only by what the 2xx answers account for). Reproduce a failure with
// FUZZ_SEED=<seed> and the target and index it reports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, first } from "@/lib/assert";
import { ctx, db, configure } from "@/lib/testing/context";
import { emit } from "@/lib/events/service";
import { signedInAdmin } from "@/lib/testing/fixtures";
import { int, malformed, mutate, pick, prng, randomJson, randomString, type Random } from "@/lib/testing/fuzz";
import { createTestHook } from "@/lib/testing/hooks";
import { acceptedBatchSchema, acceptedEventSchema } from "@/lib/events/schemas";
import { errorEnvelopeSchema } from "@/lib/errors";
import { bodyOf, call } from "@/lib/testing/http";
import { installNetworkFence, type NetworkFence } from "@/lib/testing/network-fence";
import { resetDatabase } from "@/lib/testing/reset";
import { apiRouteFiles, routeHandlers, type HttpMethod, type RouteHandler } from "@/lib/testing/routes";

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2026);
const MIN_BODIES = 5_000;
/** Spread over the targets; rounded up so the total stays at or above MIN_BODIES. */
const TOTAL_BODIES = Number(process.env.FUZZ_BODIES ?? MIN_BODIES);
const QUERIES_PER_GET = 80;
/** Row counts are compared once per this many rounds (one body per target each). */
const ROUNDS_PER_COUNT = 25;
/** Requests in flight at once, like that many clients. */
const CONCURRENCY = 12;

const UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000";
const HOOK_URL = "https://hooks.example.com/in"; // unresolvable under the fence: sends fail fast, offline

/** A valid body per route, so mutations reach the deep validation rather than stop at the shape. */
const TEMPLATES: Record<string, unknown> = {
  "POST /api/api-keys": { name: "fuzz key" },
  "POST /api/auth/setup": { email: "second@example.com", password: "another long password" },
  "POST /api/auth/sign-in": { email: "admin@example.com", password: "not the password" },
  "POST /api/events": {
    event: "User.Created",
    data: { id: "u1", name: "Zoë", tags: ["a"], nested: { n: 1 } },
    context: { userAgent: "fuzz", path: "/users", method: "POST", status: 201, params: { id: "u1" } },
  },
  "POST /api/events/batch": {
    events: [
      { event: "User.Created", data: { n: 1 } },
      { event: "User.Deleted", data: { n: 2 }, context: { ip: "203.0.113.2" } },
    ],
  },
  "POST /api/hooks": {
    name: "fuzz hook",
    events: ["User.Created"],
    config: { url: HOOK_URL, headers: { "X-Team": "fuzz" }, retries: 3 },
    enabled: true,
  },
  "PATCH /api/hooks/[id]": {
    name: "renamed",
    events: ["User.Created", "User.Deleted"],
    config: { url: HOOK_URL, headers: [{ key: "X-A", value: "b" }] },
  },
  "PATCH /api/hooks/[id]/signing-key": { gracePeriodHours: 24 },
  "POST /api/hooks/[id]/test": { events: ["User.Created"], config: { url: HOOK_URL, headers: { "X-Team": "fuzz" } } },
};

const TABLES = ["hooks", "events", "deliveries", "apiKeys", "admins"] as const;
type Counts = Record<(typeof TABLES)[number], number>;
const ZERO: Counts = { hooks: 0, events: 0, deliveries: 0, apiKeys: 0, admins: 0 };

async function rowCounts(): Promise<Counts> {
  const row = first(
    await db.$queryRaw<Record<keyof Counts, bigint>[]>`
    SELECT (SELECT count(*) FROM "Hook") AS hooks, (SELECT count(*) FROM "Event") AS events,
           (SELECT count(*) FROM "Delivery") AS deliveries, (SELECT count(*) FROM "ApiKey") AS "apiKeys",
           (SELECT count(*) FROM "AdminUser") AS admins`,
  );
  return {
    hooks: Number(row.hooks),
    events: Number(row.events),
    deliveries: Number(row.deliveries),
    apiKeys: Number(row.apiKeys),
    admins: Number(row.admins),
  };
}

type Answer = Awaited<ReturnType<typeof call>>;

/** The rows a successful answer says it created; nothing else may change the counts. */
function createdBy(target: string, res: Answer): Partial<Counts> {
  if (res.status < 200 || res.status >= 300) return {};
  switch (target) {
    case "POST /api/hooks":
      return { hooks: 1 };
    case "POST /api/api-keys":
      return { apiKeys: 1 };
    case "POST /api/auth/setup":
      return { admins: 1 };
    case "POST /api/events":
      return res.headers.get("idempotent-replayed") === "true" ? {} : { events: 1, deliveries: bodyOf(res, acceptedEventSchema).queued };
    case "POST /api/events/batch": {
      const { events, queued } = bodyOf(res, acceptedBatchSchema);
      return { events: events.filter((event) => !event.replayed).length, deliveries: queued };
    }
    case "POST /api/hooks/[id]/deliveries/[deliveryId]/resend":
      return { deliveries: 1 };
    default:
      return {};
  }
}

type Target = { key: string; urlPath: string; method: HttpMethod; handler: RouteHandler; paramNames: string[] };
type Failure = { target: string; index: number; status: number; problem: string; body: string };

let fence: NetworkFence;
let apiKey: string;
/** Creating and revoking API keys takes a signed-in admin (no API key may), so those use this. */
let session: string;
const SESSION_ONLY = new Set(["POST /api/api-keys", "DELETE /api/api-keys/[id]"]);
const credentialFor = (key: string) => (SESSION_ONLY.has(key) ? { session } : { apiKey });
let ids: Record<string, string>;
const savedEnv = { ALLOW_LOCAL_ENDPOINTS: process.env.ALLOW_LOCAL_ENDPOINTS, API_KEY: process.env.API_KEY };
/** The API_KEY environment key: an admin key checked without a query, so the time goes to the routes. */
const ENV_API_KEY = "fuzz-admin-api-key-0123456789";
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

async function targets(methods: HttpMethod[]): Promise<Target[]> {
  const found: Target[] = [];
  for (const route of apiRouteFiles()) {
    const handlers = await routeHandlers(route);
    for (const method of methods) {
      const handler = handlers[method];
      if (handler) found.push({ key: `${method} ${route.urlPath}`, urlPath: route.urlPath, method, handler, paramNames: route.paramNames });
    }
  }
  return found;
}

/** Real ids mostly, so bodies reach validation and the database; now and then a hostile one. */
function paramsFor(random: Random, target: Target) {
  return Object.fromEntries(
    target.paramNames.map((name) => [
      name,
      random() < 0.9
        ? (ids[name] ?? UNKNOWN_UUID)
        : pick(random, ["x".repeat(21), "../../etc/passwd", "%00", "\u0000", "\ud800", "'; --", "é".repeat(300), UNKNOWN_UUID]),
    ]),
  );
}

/** One body: the raw text, or a value for JSON. */
function bodyFor(random: Random, template: unknown): { rawBody?: string; body?: unknown } {
  const roll = random();
  if (roll < 0.4) return asBody(mutate(random, template));
  if (roll < 0.65) return { rawBody: malformed(random, template) };
  if (roll < 0.85) return asBody(randomJson(random, 4));
  if (roll < 0.93) return asBody(mutate(random, template, int(random, 4, 10)));
  return asBody(template);
}

const asBody = (value: unknown) => (value === undefined ? { rawBody: "" } : { body: value });

function checkAnswer(res: Answer): string | null {
  if (res.status >= 500) return `status ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status < 400) return null;
  const envelope = errorEnvelopeSchema.safeParse(res.json);
  if (!envelope.success)
    return `4xx without the error envelope {code, message, fields?}: ${res.text.slice(0, 200)}\n${envelope.error.message}`;
  if (envelope.data.code === "" || envelope.data.message === "") return `4xx with an empty code or message: ${res.text.slice(0, 200)}`;
  return null;
}

/** Runs `job` over `items` with at most `concurrency` in flight. */
async function inParallel<T>(items: T[], concurrency: number, job: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await job(at(items, next++));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

const excerpt = (request: { rawBody?: string; body?: unknown }) => (request.rawBody ?? JSON.stringify(request.body) ?? "").slice(0, 300);

beforeAll(async () => {
  // As in production: no private endpoints; the fence keeps every send on this machine anyway.
  configure({ ALLOW_LOCAL_ENDPOINTS: "false", API_KEY: ENV_API_KEY });
  fence = installNetworkFence();
  await resetDatabase();
  ({ session } = await signedInAdmin());
  apiKey = ENV_API_KEY;
  const hook = await createTestHook({ url: HOOK_URL });
  await emit(ctx, { event: "User.Created", data: { seed: true } });
  // A finished delivery, so the resend route can answer 201 too.
  const delivery = await db.delivery.findFirstOrThrow();
  await db.delivery.update({ where: { id: delivery.id }, data: { status: "failed", attempts: 1, completedAt: new Date() } });
  ids = { id: hook.id, deliveryId: delivery.id };
});

afterAll(() => {
  fence.uninstall();
  configure(savedEnv);
});

// Fixed amounts of work (~50 s and ~11 s alone on this 2-core machine, 2-3x that beside other test
// files and other engineers' runs): the timeouts only catch a hang.
describe(`fuzzing (seed ${SEED})`, () => {
  it(`every JSON endpoint survives ${TOTAL_BODIES}+ random and malformed bodies`, { timeout: 300_000 }, async () => {
    const list = await targets(["POST", "PATCH", "PUT"]);
    expect(list.length).toBeGreaterThanOrEqual(9);
    const perTarget = Math.ceil(Math.max(TOTAL_BODIES, MIN_BODIES) / list.length);
    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;

    // Rounds of one body per target, sent by concurrent clients; counts checked between batches.
    let before = await rowCounts();
    for (let first = 0; first < perTarget; first += ROUNDS_PER_COUNT) {
      const expected: Counts = { ...ZERO };
      const rounds = Array.from({ length: Math.min(ROUNDS_PER_COUNT, perTarget - first) }, (_, n) => first + n);
      const jobs = rounds.flatMap((index) => list.map((target, position) => ({ index, target, position })));
      await inParallel(jobs, CONCURRENCY, async ({ index, target, position }) => {
        const random = prng(SEED + index * 7919 + position);
        const request = bodyFor(random, TEMPLATES[target.key] ?? {});
        const res = await call(target.handler, {
          method: target.method,
          path: target.urlPath,
          params: paramsFor(random, target),
          ...credentialFor(target.key),
          ...request,
        });
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const problem = checkAnswer(res);
        if (problem) failures.push({ target: target.key, index, status: res.status, problem, body: excerpt(request) });
        const created = createdBy(target.key, res);
        for (const table of TABLES) expected[table] += created[table] ?? 0;
      });
      // Quiet now: the counts must have moved by exactly what the 2xx answers created.
      const after = await rowCounts();
      const want = Object.fromEntries(TABLES.map((table) => [table, before[table] + expected[table]]));
      if (JSON.stringify(after) !== JSON.stringify(want)) {
        failures.push({
          target: "(row counts)",
          index: first,
          status: 0,
          problem: `counts ${JSON.stringify(after)}, expected ${JSON.stringify(want)}`,
          body: "",
        });
      }
      before = after;
    }

    expect(sent).toBeGreaterThanOrEqual(MIN_BODIES);
    expect(failures.slice(0, 10)).toEqual([]);
    // The mix must really exercise both sides: mostly refused, some accepted.
    const accepted = [...statuses].filter(([status]) => status < 300).reduce((sum, [, n]) => sum + n, 0);
    expect(accepted).toBeGreaterThan(50);
    expect(sent - accepted).toBeGreaterThan(sent * 0.6);
  });

  it("every GET endpoint survives random query strings", { timeout: 120_000 }, async () => {
    const list = await targets(["GET"]);
    const failures: Failure[] = [];
    const keys = [
      "page",
      "page_size",
      "includeExecutionStats",
      "cursor",
      "event",
      "result",
      "limit",
      "logKey",
      "start_time",
      "end_time",
      "ids",
      "details",
    ];
    const jobs = Array.from({ length: QUERIES_PER_GET }, (_, index) =>
      list.map((target, position) => ({ index, target, position })),
    ).flat();
    await inParallel(jobs, CONCURRENCY, async ({ index, target, position }) => {
      const random = prng(SEED + 1_000_003 + position * 104_729 + index);
      const query = new URLSearchParams();
      for (let n = int(random, 1, 4); n > 0; n--) {
        const roll = random();
        const value =
          roll < 0.3
            ? String(
                pick(random, [-1, 0, 1, 2.5, 1e21, 2 ** 53, "TriggerHook.User.Created", "User.Created", ids.id, "a,b,,c", UNKNOWN_UUID]),
              )
            : roll < 0.5
              ? pick(random, [
                  "\u0000",
                  "a\u0000b",
                  `${ids.id},\u0000`,
                  "TriggerHook.\u0000",
                  "\ud800",
                  "%00",
                  "' OR 1=1 --",
                  "x".repeat(5_000),
                ])
              : randomString(random).slice(0, 3_000);
        query.append(pick(random, keys), value);
      }
      const res = await call(target.handler, {
        method: "GET",
        path: `${target.urlPath}?${query}`,
        params: paramsFor(random, target),
        apiKey,
      });
      const problem = checkAnswer(res);
      if (problem) failures.push({ target: target.key, index, status: res.status, problem, body: query.toString().slice(0, 300) });
    });
    expect(failures.slice(0, 10)).toEqual([]);
  });

  // The inputs that found 500s, pinned so they stay fixed whatever the seed explores.
  it("regressions: characters PostgreSQL refuses, deep nesting, objects posing as strings", async () => {
    const byKey = new Map((await targets(["POST", "PATCH", "GET"])).map((target) => [target.key, target]));
    const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const cases: [string, { rawBody?: string; body?: unknown; path?: string; params?: Record<string, string> }, number][] = [
      [
        "POST /api/hooks",
        { rawBody: '{"name":"a\\u0000b","events":["User.Created"],"config":{"url":"https://hooks.example.com/x"}}' },
        400,
      ],
      ["POST /api/hooks", { rawBody: '{"name":"\\ud800","events":["User.Created"],"config":{"url":"https://hooks.example.com/x"}}' }, 400],
      ["POST /api/hooks", { body: { name: "x", events: [{ toString: 1 }], config: { url: HOOK_URL } } }, 400],
      ["PATCH /api/hooks/[id]", { body: { events: [{ toString: "x" }] } }, 400],
      ["POST /api/hooks/[id]/test", { body: { events: [{ toString: [] }], config: { url: HOOK_URL } } }, 400],
      // Keys are created by a signed-in admin only (credentialFor gives this route a session).
      ["POST /api/api-keys", { body: { name: "k\u0000" } }, 400],
      ["POST /api/events", { body: { event: "User.Created", data: { "a\u0000": 1 } } }, 400],
      ["POST /api/events", { rawBody: '{"event":"User.Created","data":{"a":"\\udc00"}}' }, 400],
      ["POST /api/events", { body: { event: "User.Created", id: "\u0000" } }, 400],
      ["POST /api/events", { rawBody: `{"event":"User.Created","data":${deep(5_000)}}` }, 400],
      ["POST /api/events/batch", { rawBody: `{"events":[{"event":"User.Created","data":${deep(20_000)}}]}` }, 400],
      ["PATCH /api/hooks/[id]", { body: { name: "x" }, params: { id: "a\u0000" } }, 404],
      ["GET /api/stats/sparklines", { path: "/api/stats/sparklines?ids=a%00b" }, 400],
      ["GET /api/hooks/[id]/recent-logs", { path: "/api/hooks/x/recent-logs?logKey=TriggerHook.%00" }, 400],
    ];
    const before = await rowCounts();
    for (const [key, request, status] of cases) {
      const target = byKey.get(key)!;
      const res = await call(target.handler, {
        method: target.method,
        ...credentialFor(key),
        params: { ...ids, ...request.params },
        ...request,
      });
      expect({ key, status: res.status, envelope: checkAnswer(res) }).toEqual({ key, status, envelope: null });
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("left Object.prototype alone and never left the machine", () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    const fresh: Record<string, unknown> = {};
    expect(fresh.polluted).toBeUndefined();
    expect(fence.refused()).toEqual([]);
  });
});
