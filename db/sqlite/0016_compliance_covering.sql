-- The covering indexes of db/postgres/0016_compliance_covering.sql in SQLite's form (SQLite has
-- no INCLUDE: the extra columns end the key). The compliance summary's per-follow-up lookups of
-- the period held on the day and of the deadline in force then read the index alone. The
-- covering index on followup_periods replaces the plain one on followup_id. The PostgreSQL
-- migration's third index (followups_reminder_facts, on followups' id with the columns the
-- reminders job reads) has no SQLite counterpart: SQLite's followups table is already a b-tree
-- on its id (the rowid), so a lookup by id reads the row itself.
CREATE INDEX followup_periods_covering ON followup_periods (followup_id, from_on, until_on);
DROP INDEX followup_periods_followup;
CREATE INDEX followup_due_dates_covering ON followup_due_dates (followup_id, from_on, due_on);
