// Sign-in throttling (issue 11). Four counters, all rows of "SignInThrottle" keyed by kind:
//   pair|<email>|<address>  5 failures in 15 min lock that address out of that account for 15 min;
//   addr|<address>          30 failures in an hour, whatever the emails (password spraying), lock
//                           the address out of every account until the hour is over;
//   acct|<email>            from the 10th failure in an hour, from any address, each further try
//                           waits a delay that doubles from 1 s up to 60 s: many addresses together
//                           get about one guess a minute. It slows, never locks: an address that
//                           signed in to the account before (known|<email>|<address>, 30 days) skips
//                           it, so an attacker cannot keep the owner out.
// The address is the socket's (or a trusted proxy's word, lib/http/client.ts), so a client cannot
// spend someone else's budget by naming their address.
import { z } from "zod";
import type { ServiceContext } from "@/lib/context";
import { rowsOf } from "@/lib/db/rows";
import { ServiceError } from "@/lib/errors";

export const PAIR_MAX_FAILURES = 5;
export const PAIR_WINDOW_MS = 15 * 60_000;
export const ADDRESS_MAX_FAILURES = 30;
export const ADDRESS_WINDOW_MS = 60 * 60_000;
export const ACCOUNT_FREE_FAILURES = 10;
export const ACCOUNT_WINDOW_MS = 60 * 60_000;
export const ACCOUNT_MAX_DELAY_MS = 60_000;
export const KNOWN_ADDRESS_MS = 30 * 24 * 3_600_000;

type Rule = { key: string; windowMs: number; lockMs: (failures: number, windowStart: Date, now: Date) => number };

const pairKey = (email: string, address: string) => `pair|${email}|${address}`;
const knownKey = (email: string, address: string) => `known|${email}|${address}`;

function rules(email: string, address: string): Rule[] {
  return [
    { key: pairKey(email, address), windowMs: PAIR_WINDOW_MS, lockMs: (failures) => (failures >= PAIR_MAX_FAILURES ? PAIR_WINDOW_MS : 0) },
    {
      key: `addr|${address}`,
      windowMs: ADDRESS_WINDOW_MS,
      lockMs: (failures, start, now) => (failures >= ADDRESS_MAX_FAILURES ? start.getTime() + ADDRESS_WINDOW_MS - now.getTime() : 0),
    },
    {
      key: `acct|${email}`,
      windowMs: ACCOUNT_WINDOW_MS,
      lockMs: (failures) =>
        failures >= ACCOUNT_FREE_FAILURES ? Math.min(1000 * 2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_DELAY_MS) : 0,
    },
  ];
}

const tooMany = (retryAfterSeconds: number) =>
  new ServiceError("too_many_attempts", "Too many failed sign-ins. Try again later.", { data: { retryAfterSeconds } });

/** Throws 429 (with Retry-After) while any counter that applies to this email and address holds. */
export async function checkSignInThrottle(ctx: ServiceContext, email: string, address: string, now: Date) {
  const keys = rules(email, address).map((rule) => rule.key);
  const rows = await ctx.db.signInThrottle.findMany({ where: { key: { in: [...keys, knownKey(email, address)] } } });
  const known = rows.some((row) => row.key === knownKey(email, address) && row.lockedUntil && row.lockedUntil > now);
  const until = rows
    .filter((row) => keys.includes(row.key) && !(known && row.key.startsWith("acct|")))
    .map((row) => row.lockedUntil?.getTime() ?? 0)
    .reduce((latest, time) => Math.max(latest, time), 0);
  if (until > now.getTime()) throw tooMany(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
}

const counterRowSchema = z.object({ failures: z.number().int(), windowStart: z.date() });

/** Counts one failure on every counter (one statement each, so concurrent failures count exactly). */
export async function recordSignInFailure(ctx: ServiceContext, email: string, address: string, now: Date) {
  for (const rule of rules(email, address)) {
    const windowStartedAfter = new Date(now.getTime() - rule.windowMs);
    const found = await ctx.db.$queryRaw`
      INSERT INTO "SignInThrottle" ("key", "failures", "windowStart")
      VALUES (${rule.key}, 1, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartedAfter} THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
        "windowStart" = CASE WHEN "SignInThrottle"."windowStart" < ${windowStartedAfter} THEN ${now} ELSE "SignInThrottle"."windowStart" END
      RETURNING "failures", "windowStart"`;
    const [row] = rowsOf(counterRowSchema, found, "a sign-in counter");
    const lockMs = row ? rule.lockMs(row.failures, row.windowStart, now) : 0;
    if (lockMs > 0) {
      await ctx.db.signInThrottle.update({ where: { key: rule.key }, data: { lockedUntil: new Date(now.getTime() + lockMs) } });
    }
  }
}

/** A success clears the address's counter on this account and remembers the address as the owner's. */
export async function recordSignInSuccess(ctx: ServiceContext, email: string, address: string, now: Date) {
  await ctx.db.signInThrottle.deleteMany({ where: { key: pairKey(email, address) } });
  const key = knownKey(email, address);
  const until = new Date(now.getTime() + KNOWN_ADDRESS_MS);
  await ctx.db.signInThrottle.upsert({
    where: { key },
    create: { key, windowStart: now, lockedUntil: until },
    update: { lockedUntil: until },
  });
}

// In-flight password checks per address: one address cannot fill the hashing gate on its own.
const MAX_IN_FLIGHT_PER_ADDRESS = 2;
const inFlight = new Map<string, number>();

/** Runs a sign-in's password work, refusing (429) a third concurrent one from the same address. */
export async function withAddressSlot<T>(address: string, work: () => Promise<T>): Promise<T> {
  const running = inFlight.get(address) ?? 0;
  if (running >= MAX_IN_FLIGHT_PER_ADDRESS) {
    throw new ServiceError("too_many_attempts", "Too many sign-ins in progress from your address.", { data: { retryAfterSeconds: 1 } });
  }
  inFlight.set(address, running + 1);
  try {
    return await work();
  } finally {
    const left = (inFlight.get(address) ?? 1) - 1;
    if (left > 0) inFlight.set(address, left);
    else inFlight.delete(address);
  }
}
