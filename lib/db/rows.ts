// Raw SQL rows (pg's `query` and Prisma's $queryRaw) come back as whatever PostgreSQL sent: a
// count(*) without ::int is a string (pg) or a bigint (Prisma), a missing alias a different key.
// Each raw statement's row has a zod schema, its TypeScript type derives from it, and the tests
// check every row against it (WC_CHECK_SQL_ROWS=1 in the vitest configs). Production skips the
// check: these run on the hot paths, and the tests have proven the shapes.
import { z } from "zod";

const checking = () => process.env.WC_CHECK_SQL_ROWS === "1";

const printable = (value: unknown) => JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? `${inner}n` : inner));

/** A row's schema: one object, or a union of them for a statement whose rows come in several shapes. */
type RowSchema = z.ZodObject | z.ZodUnion<readonly z.ZodObject[]>;

const strictly = (schema: RowSchema) =>
  schema instanceof z.ZodObject ? z.strictObject(schema.shape) : z.union(schema.options.map((option) => z.strictObject(option.shape)));

/** `rows` typed by `schema`; under the tests, each row must match it exactly (no other columns). */
export function rowsOf<S extends RowSchema>(schema: S, rows: unknown, label: string): z.output<S>[] {
  if (!Array.isArray(rows)) throw new Error(`${label}: a raw SQL statement answered no rows array`);
  if (checking()) {
    const strict = strictly(schema);
    for (const row of rows) {
      const result = strict.safeParse(row);
      if (!result.success)
        throw new Error(`A raw SQL row of ${label} is outside its schema: ${z.prettifyError(result.error)}\nrow: ${printable(row)}`);
    }
  }
  return rows as z.output<S>[];
}
