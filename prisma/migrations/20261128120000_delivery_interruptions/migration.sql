-- Attempts cut short by a lost lease (the worker sending them died or lost the database) are
-- counted apart from the retry budget: a crashing worker must not use up a healthy receiver's
-- retries. They have their own, larger cap so a row that crashes every worker still ends.
-- A constant default: PostgreSQL adds the column without rewriting the table.
ALTER TABLE "Delivery" ADD COLUMN "interruptions" INTEGER NOT NULL DEFAULT 0;
