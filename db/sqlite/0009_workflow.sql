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

-- What held on a day (followup/periods.go): the periods in which a follow-up is active and a
-- recommendation archived, written in the transaction of the change. from_on NULL: from the
-- start (a follow-up that exists since its recommendation was created); until_on NULL: still
-- running; until_on is the first day the period no longer holds.
CREATE TABLE followup_periods (
    id          INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups (id),
    from_on     TEXT,
    until_on    TEXT
);
CREATE INDEX followup_periods_followup ON followup_periods (followup_id);
CREATE TABLE recommendation_archive_periods (
    id                INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id),
    from_on           TEXT NOT NULL,
    until_on          TEXT
);
CREATE INDEX recommendation_archive_periods_recommendation ON recommendation_archive_periods (recommendation_id);

-- The periods of the follow-ups that exist, from the audit log, which has every creation,
-- re-activation and de-activation with its instant (days taken in UTC): each start (the
-- creation, from the start when it was on the day the recommendation was created; a
-- re-activation) runs until the first de-activation after it.
INSERT INTO followup_periods (followup_id, from_on, until_on)
SELECT s.followup_id,
    CASE WHEN s.action = 'followup.create' AND substr(s.at, 1, 10) <= substr(c.created_at, 1, 10) THEN NULL ELSE substr(s.at, 1, 10) END,
    (SELECT substr(min(d.at), 1, 10) FROM audit_log d WHERE d.followup_id = s.followup_id AND d.action = 'followup.deactivate' AND d.id > s.id)
FROM audit_log s
JOIN followups f ON f.id = s.followup_id
JOIN recommendations c ON c.id = f.recommendation_id
WHERE s.action IN ('followup.create', 'followup.activate');
-- A follow-up the log has no creation of is taken to have existed from the start, and active
-- until it was last changed if it is not active now.
INSERT INTO followup_periods (followup_id, from_on, until_on)
SELECT f.id, NULL, CASE WHEN f.active THEN NULL ELSE substr(f.updated_at, 1, 10) END
FROM followups f
WHERE NOT EXISTS (SELECT 1 FROM followup_periods p WHERE p.followup_id = f.id);

-- The recommendations' archived periods, from the changes of the archived flag in the log.
INSERT INTO recommendation_archive_periods (recommendation_id, from_on, until_on)
SELECT c.id, substr(s.at, 1, 10),
    (SELECT substr(min(u.at), 1, 10) FROM audit_log u WHERE u.entity = 'recommendation' AND u.entity_key = s.entity_key AND u.id > s.id
        AND json_extract(u.before_json, '$.archived') = 1 AND json_extract(u.after_json, '$.archived') = 0)
FROM audit_log s
JOIN recommendations c ON c.id = (SELECT c2.id FROM recommendations c2 JOIN reports r ON r.id = c2.report_id
    WHERE r.slug || '/' || c2.label = s.entity_key)
WHERE s.entity = 'recommendation' AND s.action = 'recommendation.update'
    AND json_extract(s.before_json, '$.archived') = 0 AND json_extract(s.after_json, '$.archived') = 1;
-- An archived recommendation the log does not tell about is archived from its last change.
INSERT INTO recommendation_archive_periods (recommendation_id, from_on, until_on)
SELECT c.id, substr(c.updated_at, 1, 10), NULL
FROM recommendations c
WHERE c.archived AND NOT EXISTS (SELECT 1 FROM recommendation_archive_periods p WHERE p.recommendation_id = c.id AND p.until_on IS NULL);

-- Where the log and the flags disagree (an entry the log lacks), the flags are right today:
-- a follow-up active now whose periods all ended is active again from its last change, one not
-- active now whose period still runs ended at its last change; a recommendation not archived
-- now whose archived period still runs was un-archived at its last change.
INSERT INTO followup_periods (followup_id, from_on, until_on)
SELECT f.id, substr(f.updated_at, 1, 10), NULL
FROM followups f
WHERE f.active AND NOT EXISTS (SELECT 1 FROM followup_periods p WHERE p.followup_id = f.id AND p.until_on IS NULL);
UPDATE followup_periods SET until_on = (SELECT substr(f.updated_at, 1, 10) FROM followups f WHERE f.id = followup_periods.followup_id)
WHERE until_on IS NULL AND followup_id IN (SELECT f.id FROM followups f WHERE NOT f.active);
UPDATE recommendation_archive_periods SET until_on = (SELECT substr(c.updated_at, 1, 10) FROM recommendations c WHERE c.id = recommendation_archive_periods.recommendation_id)
WHERE until_on IS NULL AND recommendation_id IN (SELECT c.id FROM recommendations c WHERE NOT c.archived);
