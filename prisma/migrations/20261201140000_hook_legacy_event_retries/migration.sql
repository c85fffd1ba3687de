-- Logto's legacy hook fields (issue 12), stored as given so they are echoed exactly:
-- `event`, the single event of Logto's original API (it subscribes the hook only while `events`
-- is empty, as in Logto), and `config.retries` (0-3, null when not given: the default budget of
-- 3 retries applies).
ALTER TABLE "Hook" ADD COLUMN "event" VARCHAR(128);
ALTER TABLE "Hook" ADD COLUMN "retries" INTEGER;
ALTER TABLE "Hook" ADD CONSTRAINT "Hook_retries_check" CHECK ("retries" BETWEEN 0 AND 3);
