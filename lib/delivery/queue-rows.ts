// The rows of the queue's raw SQL (lib/delivery/queue.ts), checked against these schemas under the
// tests (lib/db/rows.ts). Apart from queue.ts so that its statements stay readable.
import { z } from "zod";

const int = z.number().int();

/** What a claimed or handed-over delivery carries: its queue and log columns, and its hook's. */
const deliveryColumns = {
  hookId: z.string(),
  event: z.string(),
  requestBody: z.string(),
  attempts: int,
  interruptions: int,
  probes: int,
  createdAt: z.date(),
  url: z.string(),
  /** The hook's headers as JSON text (lib/delivery/headers.ts reads them). */
  headers: z.string(),
  enabled: z.boolean(),
  retries: int.nullable(),
  signingKey: z.string(),
  previousSigningKey: z.string().nullable(),
  previousKeyExpiresAt: z.date().nullable(),
};

/** The same columns, all NULL: the row of a statement that returned no delivery. */
const noDelivery = {
  hookId: z.null(),
  event: z.null(),
  requestBody: z.null(),
  attempts: z.null(),
  interruptions: z.null(),
  probes: z.null(),
  createdAt: z.null(),
  url: z.null(),
  headers: z.null(),
  enabled: z.null(),
  retries: z.null(),
  signingKey: z.null(),
  previousSigningKey: z.null(),
  previousKeyExpiresAt: z.null(),
} satisfies Record<keyof typeof deliveryColumns, z.ZodNull>;

const claimExtras = {
  probe: z.boolean(),
  hookUnwell: z.boolean(),
  prevOwner: z.string().nullable(),
  prevLeaseUntil: z.date().nullable(),
  logged: int.nullable(),
};

/** A claimed row; `more`: due rows were left because their hook or host was at its cap. */
export const claimedRowSchema = z.object({ id: z.string(), ...deliveryColumns, ...claimExtras, more: z.boolean() });
export type ClaimRow = z.infer<typeof claimedRowSchema>;

/** The claim's answer: its rows, or (nothing claimed) one row of NULLs that still says `more`. */
export const claimRowSchema = z.union([
  claimedRowSchema,
  z.object({
    id: z.null(),
    ...noDelivery,
    probe: z.null(),
    hookUnwell: z.null(),
    prevOwner: z.null(),
    prevLeaseUntil: z.null(),
    logged: z.null(),
    more: z.boolean(),
  }),
]);

export type ClaimAnswerRow = z.infer<typeof claimRowSchema>;

/** An attempt's result written: done (`next_id` NULL), or its lease handed over to `next_id`. */
export const writtenRowSchema = z.union([
  z.object({ id: z.string(), next_id: z.null(), ...noDelivery }),
  z.object({ id: z.string(), next_id: z.string(), ...deliveryColumns }),
]);

export const idRowSchema = z.object({ id: z.string() });
export const hookIdRowSchema = z.object({ hookId: z.string() });
export const heldRowSchema = z.object({ hookId: z.string(), held: int });
export const nextDueRowSchema = z.object({ ms: z.number().nullable() });
// bool_or over this database's sessions: null when none matched.
export const otherListenersRowSchema = z.object({ mine: z.boolean().nullable(), others: z.boolean().nullable() });
