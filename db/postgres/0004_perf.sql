-- Indexes for the follow-up lists at scale (see db/sqlite/0004_perf.sql). Lists are paged in id
-- order (f.id > cursor ORDER BY f.id LIMIT n); on PostgreSQL the index must carry the id
-- explicitly (SQLite's carries the rowid by itself).
CREATE INDEX followups_party_id ON followups (party_code, id);
CREATE INDEX followups_state_id ON followups (state, id);
