-- Scoped API keys (issue 11): "ingest" may only post events, "admin" manages everything.
-- Keys created before scopes existed could do everything: they stay "admin" so nothing breaks.
ALTER TABLE "ApiKey" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_scope_check" CHECK ("scope" IN ('ingest', 'admin'));
