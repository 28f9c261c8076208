-- Search across reports (internal/sqlstore/search.go). The full-text index of the
-- recommendations is an FTS5 table that the engine makes when the store opens, since FTS5 is in
-- builds with the sqlite_fts5 tag only (internal/sqlite/fulltext.go); PostgreSQL's is in its
-- 0013 migration. The follow-up facets count a recommendation's follow-ups by status.
CREATE INDEX followups_recommendation_status ON followups (recommendation_id, status);
