// Every fixed advisory lock key the app takes. PostgreSQL has one key space per database, so two
// features that picked the same number would serialize (or, with a try-lock, skip) each other: the
// stats rollup once shared its key with the app role's start-up lock.
export const ADVISORY_LOCKS = {
  /** Migrations (session lock); Prisma's own key, so `prisma migrate` and we exclude each other. */
  migrate: 72707369,
  /** Stats rollups, one process at a time (transaction try-lock: the others skip). */
  rollup: 72707370,
  /** Creating the app role at start-up (session lock). */
  appRole: 72707371,
  /** Delivery claims across processes (transaction lock). */
  claim: 72707410,
  /** The first admin's sign-up (transaction lock). */
  setup: 91001,
} as const;
