-- Indexes for the follow-up lists at scale (BENCHMARKS.md). Lists are paged in id order
-- (f.id > cursor ORDER BY f.id LIMIT n). An index on one column is ordered by that column and
-- then by rowid, which is the follow-up id, so with these a list filtered by Party or by state
-- reads its page in index order and stops after n rows, instead of collecting every follow-up
-- of the Party (or in the state) and sorting them: the first page of a Party's open follow-ups
-- went from ~22 ms to under 1 ms on 375,000 follow-ups, the committee's state filter from
-- ~200 ms to under 1 ms.
CREATE INDEX followups_party_id ON followups (party_code);
CREATE INDEX followups_state_id ON followups (state);
