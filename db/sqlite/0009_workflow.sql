-- Reports are drafts until the Secretariat publishes them: published_on is the day a report
-- became public, NULL while it is a draft (seen by the committee only). The reports that exist
-- already were public from the day they were entered, and stay so.
ALTER TABLE reports ADD COLUMN published_on TEXT;
UPDATE reports SET published_on = substr(created_at, 1, 10);

-- Publishing a report gives its follow-ups reminders: the reminders job looks at them again.
DROP TRIGGER reminder_wake_report;
CREATE TRIGGER reminder_wake_report AFTER UPDATE OF followup_due_on, archived, published_on ON reports
WHEN old.followup_due_on IS NOT new.followup_due_on OR old.archived IS NOT new.archived OR old.published_on IS NOT new.published_on
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE followup_id IN (SELECT f.id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id
        WHERE c.report_id = new.id) AND wake_on != '';
END;

-- When the latest unsent draft of a follow-up was saved, kept in step with its submissions, so
-- that a Party's desk shows "draft saved, not yet sent" without reading every submission.
ALTER TABLE followups ADD COLUMN draft_saved_at TEXT;
-- The Party's drafts only: a stakeholder's draft of information (written by a user of the
-- stakeholder role, where that role exists) is not the Party's.
UPDATE followups SET draft_saved_at = (SELECT max(s.updated_at) FROM submissions s WHERE s.followup_id = followups.id AND s.draft = TRUE
    AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.author_id AND u.role = 'stakeholder'));

-- Deadlines that reset: an adoption that leaves a follow-up open gives it a deadline of its own
-- (the date set at the adoption, or a period after it). followups.due_on is the one in force,
-- NULL while the follow-up has none (the recommendation's or the report's applies);
-- followup_due_dates keeps each one with the day it took effect, so that a past day reads the
-- deadline in force on it. Both are written in the adoption's transaction.
ALTER TABLE followups ADD COLUMN due_on TEXT;
CREATE TABLE followup_due_dates (
    id          INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups (id),
    from_on     TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (followup_id, from_on)
);

-- A follow-up's own new deadline starts its reminders over, like any other change of its facts.
DROP TRIGGER reminder_wake_followup_update;
CREATE TRIGGER reminder_wake_followup_update
AFTER UPDATE OF active, status, status_adopted_on, submitted_since_adoption, recommendation_id, party_code, due_on ON followups
WHEN old.active IS NOT new.active OR old.status IS NOT new.status OR old.status_adopted_on IS NOT new.status_adopted_on
    OR old.submitted_since_adoption IS NOT new.submitted_since_adoption
    OR old.recommendation_id IS NOT new.recommendation_id OR old.party_code IS NOT new.party_code
    OR old.due_on IS NOT new.due_on
BEGIN
    INSERT OR REPLACE INTO reminder_wake (followup_id, wake_on) VALUES (new.id, '');
END;

-- The audit log shows each entry to those who may see the record it describes: the report an
-- entry is under (whose publication decides) and the Party of its follow-up are kept with it,
-- so that the log can be filtered, counted and paged for a reader in SQL.
ALTER TABLE audit_log ADD COLUMN report_id INTEGER REFERENCES reports (id);
ALTER TABLE audit_log ADD COLUMN party_code TEXT;
UPDATE audit_log SET
    report_id = (SELECT c.report_id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id WHERE f.id = audit_log.followup_id),
    party_code = (SELECT f.party_code FROM followups f WHERE f.id = audit_log.followup_id)
WHERE followup_id IS NOT NULL;
UPDATE audit_log SET report_id = (SELECT r.id FROM reports r WHERE r.slug = audit_log.entity_key) WHERE entity = 'report';
UPDATE audit_log SET report_id = (SELECT r.id FROM reports r WHERE r.slug = substr(audit_log.entity_key, 1, instr(audit_log.entity_key, '/') - 1))
WHERE entity = 'recommendation';
