// One attempt of one claimed delivery, recorded into its single row.
import { db } from "@/lib/db/client";
import { storedHeaderRows } from "@/lib/hooks/schemas";
import { buildRequestHeaders } from "./headers";
import type { Sender } from "./http";
import { recordAttempt, releaseClaims, type AttemptLogEntry, type ClaimedDelivery } from "./queue";
import { decide, maxAttempts, type RetrySchedule } from "./retry";
import { signatureHeaders } from "./signing";

export type AttemptContext = {
  owner: string;
  sender: Sender;
  schedule: RetrySchedule;
  signal?: AbortSignal;
};

/** What became of the row: "lost" when another worker took it over meanwhile (lease expired). */
export type AttemptResult = "succeeded" | "failed" | "pending" | "released" | "lost";

const INTERRUPTED = "Interrupted: the worker sending this attempt stopped before it finished (its lease expired).";
const DISABLED = "Not sent: the webhook was disabled before this delivery went out.";

async function loggedAttempts(id: string) {
  const [row] = await db.$queryRaw<{ logged: number }[]>`
    SELECT jsonb_array_length("attemptLog")::int AS logged FROM "Delivery" WHERE id = ${id}::uuid`;
  return row?.logged ?? 0;
}

export async function attemptDelivery(row: ClaimedDelivery, context: AttemptContext): Promise<AttemptResult> {
  const { owner, sender, schedule } = context;
  const entries: AttemptLogEntry[] = [];
  // The claim counted this attempt already; a lost earlier attempt stays counted and logged. Leases
  // lost twice in a row (two workers died holding it) left two attempts unlogged: one entry each,
  // so the log keeps one entry per counted attempt. Rare, hence the extra read.
  if (row.lostLeaseUntil) {
    const unlogged = row.attempts - 1 - (await loggedAttempts(row.id));
    for (let n = 0; n < Math.max(1, unlogged); n++) {
      entries.push({ at: row.lostLeaseUntil.toISOString(), status: null, durationMs: null, error: INTERRUPTED });
    }
  }
  const withoutSending = async (error: string) => {
    const record = { status: "failed" as const, attempts: row.attempts - 1, delayMs: 0, error, entries };
    return (await recordAttempt(owner, row.id, record, null)) ? "failed" : "lost";
  };
  if (row.attempts > maxAttempts(schedule)) return withoutSending(INTERRUPTED);
  if (!row.hook.enabled) return withoutSending(DISABLED);

  // The hook's current URL, headers and keys; the body bytes are the ones stored at creation.
  const at = new Date();
  const headers = buildRequestHeaders(
    storedHeaderRows(row.hook.headers),
    signatureHeaders({ keys: row.hook, messageId: row.id, body: row.requestBody, now: at }),
  );
  const outcome = await sender.send({ url: row.hook.url, headers, body: row.requestBody, signal: context.signal });
  if (outcome.failure === "aborted") {
    await releaseClaims(owner, [row.id]);
    return "released";
  }

  const decision = decide(outcome, row.attempts, schedule);
  const error = decision.kind === "succeeded" ? null : decision.error;
  entries.push({ at: at.toISOString(), status: outcome.status, durationMs: outcome.durationMs, error });
  const status = decision.kind === "retry" ? "pending" : decision.kind;
  const delayMs = decision.kind === "retry" ? decision.delayMs : 0;
  const updated = await recordAttempt(owner, row.id, { status, attempts: row.attempts, delayMs, error, entries }, outcome);
  return updated ? status : "lost";
}
