-- Covering indexes for the compliance summary (internal/sqlstore/compliance.go), found with
-- EXPLAIN (ANALYZE, BUFFERS) on the synthetic data set (BENCHMARKS.md, "PostgreSQL beside
-- SQLite"). For each follow-up of the report the summary looks up the period that holds on the
-- day and the deadline in force on it; both lookups were index scans that then read the table's
-- row for from_on/until_on and due_on. With the columns in the index they are index-only scans.
-- The covering index on followup_periods replaces the plain one on followup_id (same leading
-- column). db/sqlite/0016_compliance_covering.sql makes the same indexes in SQLite's form.
CREATE INDEX followup_periods_covering ON followup_periods (followup_id) INCLUDE (from_on, until_on);
DROP INDEX followup_periods_followup;
CREATE INDEX followup_due_dates_covering ON followup_due_dates (followup_id, from_on) INCLUDE (due_on);

-- The reminders job's candidates (internal/sqlstore/reminders.go: the follow-ups whose wake day
-- has come, a few percent of them on a steady day) join followups by id. With the plain primary
-- key the planner chose a hash join over a sequential scan of every follow-up (270 ms on the
-- synthetic set); with the columns the job reads in an index on id it takes an index-only
-- nested loop (55 ms). SQLite needs no such index: its followups table is a b-tree on the id
-- (the rowid), so a lookup by id reads the row itself.
CREATE INDEX followups_reminder_facts ON followups (id)
    INCLUDE (recommendation_id, party_code, active, status, submitted_since_adoption, status_adopted_on, due_on);
