// The fault suite's webhook endpoints: lib/testing/receiver servers that count what they get by
// webhook-id and answer "ok" or at random from the chaos table. They run in a child process of
// their own (receiver-process.ts), so a busy test process cannot delay their answers past the
// workers' timeout and pass its own stalls off as duplicates.
import { first } from "@/lib/assert";
import { startReceiver, type ScriptedResponse } from "@/lib/testing/receiver";

/** `accepted`: the receiver took the delivery (a complete 2xx), so a second one is a duplicate. */
export type Answer = { kind: string; accepted: boolean; response: ScriptedResponse };

/** What one receiver saw, per delivery id. */
export type Tally = {
  receipts: Map<string, number>;
  /** Accepting answers given. */
  accepted: Map<string, number>;
  /** The kinds of answer given, in order. */
  answers: Map<string, string[]>;
};

export type ReceiverMode = "ok" | "chaos";

/** The chaos scenario's request timeout, which the slow answers are measured against. */
export const CHAOS_TIMEOUT_MS = 1_500;

// `status` is what the attempt log must show (null: no response), `final` what a last answer means.
export type Chaos = {
  kind: string;
  weight: number;
  status: number | null;
  final: "succeeded" | "failed" | "retry";
  response: ScriptedResponse;
};

export const CHAOS: Chaos[] = [
  { kind: "ok", weight: 45, status: 200, final: "succeeded", response: { status: 200 } },
  { kind: "500", weight: 10, status: 500, final: "retry", response: { status: 500, body: "boom" } },
  { kind: "503+retry-after", weight: 5, status: 503, final: "retry", response: { status: 503, headers: { "retry-after": "1" } } },
  { kind: "timeout", weight: 8, status: null, final: "retry", response: { hang: true } },
  { kind: "reset", weight: 8, status: null, final: "retry", response: { reset: true } },
  {
    kind: "slow body",
    weight: 8,
    status: 200,
    final: "succeeded",
    response: { status: 200, body: "x".repeat(200), dribbleMs: CHAOS_TIMEOUT_MS / 4 },
  },
  {
    kind: "slow body past timeout",
    weight: 6,
    status: null,
    final: "retry",
    response: { status: 200, body: "x".repeat(200), dribbleMs: CHAOS_TIMEOUT_MS * 3 },
  },
  { kind: "404", weight: 5, status: 404, final: "failed", response: { status: 404 } },
  { kind: "302", weight: 5, status: 302, final: "failed", response: { redirectTo: "http://127.0.0.1:9/elsewhere" } },
];

export const chaosByKind = new Map(CHAOS.map((item) => [item.kind, item]));
const CHAOS_WEIGHT = CHAOS.reduce((sum, item) => sum + item.weight, 0);
const asAnswer = (item: Chaos): Answer => ({ kind: item.kind, accepted: item.final === "succeeded", response: item.response });

function chaos(): Answer {
  let pick = Math.random() * CHAOS_WEIGHT;
  for (const item of CHAOS) {
    pick -= item.weight;
    if (pick < 0) return asAnswer(item);
  }
  return asAnswer(first(CHAOS));
}

const alwaysOk = (): Answer => ({ kind: "ok", accepted: true, response: { status: 200 } });

const increment = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);

export async function countingReceiver(mode: ReceiverMode) {
  const choose = mode === "chaos" ? chaos : alwaysOk;
  const tally: Tally = { receipts: new Map(), accepted: new Map(), answers: new Map() };
  const receiver = await startReceiver(
    (request) => {
      const id = String(request.headers["webhook-id"]);
      const answer = choose();
      increment(tally.receipts, id);
      if (answer.accepted) increment(tally.accepted, id);
      const kinds = tally.answers.get(id);
      if (kinds) kinds.push(answer.kind);
      else tally.answers.set(id, [answer.kind]);
      return answer.response;
    },
    { record: false },
  );
  return { url: receiver.url, tally, close: () => receiver.close() };
}

// Over IPC, maps travel as entry lists.
export type SerializedTally = { receipts: [string, number][]; accepted: [string, number][]; answers: [string, string[]][] };

export const serializeTally = (tally: Tally): SerializedTally => ({
  receipts: [...tally.receipts],
  accepted: [...tally.accepted],
  answers: [...tally.answers],
});

export const parseTally = (tally: SerializedTally): Tally => ({
  receipts: new Map(tally.receipts),
  accepted: new Map(tally.accepted),
  answers: new Map(tally.answers),
});

export type ReceiverMessage = { type: "ready"; urls: string[] } | { type: "report"; tallies: SerializedTally[] };
