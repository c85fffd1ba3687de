// JSON columns read back in tests through their schema: Prisma types them as JsonValue, and a cast
// would let a test pass over a shape the worker never writes.
import { z } from "zod";
import { attemptEntrySchema } from "@/lib/deliveries/schemas";

const storedAttemptLogSchema = z.array(attemptEntrySchema.extend({ probe: z.boolean().optional() }));

/** `Delivery.attemptLog` as the worker stores it (lib/delivery/queue.ts `AttemptLogEntry`), checked. */
export const attemptLog = (value: unknown) => storedAttemptLogSchema.parse(value);
