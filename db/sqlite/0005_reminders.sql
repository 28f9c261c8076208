-- The reminders job's schedule: for each follow-up, the first day on which the job can have
-- anything new to say about it, so that a daily run reads only the follow-ups whose day has come
-- instead of every open follow-up (over 375,000 follow-ups: ~1.5 s of candidate query alone, and
-- as much again in Go, every day, for the few that reach a new point).
--
-- The job sets wake_on, in the transaction in which it decides and writes to the outbox, to the
-- next day on which a reminder point of the follow-up's due date is reached (followup's
-- ReminderRules.NextReminderOn), or to '9999-12-31' when the follow-up gets no reminders (closed,
-- answered, archived, no due date). Until then the follow-up has nothing new while its facts stay
-- the same: a point is only ever added by the calendar, an adoption only answers points.
--
-- Whatever changes those facts sets wake_on back to '' (read by the next run), by the triggers
-- below, in the same transaction as the change, whichever code makes it (API, imports, bulk
-- loader): a new follow-up; a change of its active flag, status, latest adoption or "submitted
-- since adoption"; a change of the due date or the archived flag of its recommendation or report;
-- a new recipient (a Party user: that Party's follow-ups, whose points were not marked while
-- nobody received them; a Secretariat user: everything, through reminder_state.wake_all).
-- Exactly once does not depend on this table: reminder_marks and the outbox keys still decide
-- what is new; reminder_wake only decides which follow-ups are looked at.

CREATE TABLE reminder_wake (
    followup_id INTEGER PRIMARY KEY REFERENCES followups (id),
    wake_on     TEXT NOT NULL DEFAULT '' -- '' = at the next run; '9999-12-31' = until something changes
);
CREATE INDEX reminder_wake_on ON reminder_wake (wake_on);

INSERT INTO reminder_wake (followup_id, wake_on) SELECT id, '' FROM followups;

-- One row: the rules (offsets) the schedule was computed with, and whether the next run must look
-- at every follow-up (the rules changed, or a Secretariat user appeared).
CREATE TABLE reminder_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    rules    TEXT NOT NULL DEFAULT '',
    wake_all INTEGER NOT NULL DEFAULT 1
);
INSERT INTO reminder_state (id) VALUES (1);

CREATE TRIGGER reminder_wake_followup_insert AFTER INSERT ON followups
BEGIN
    INSERT OR REPLACE INTO reminder_wake (followup_id, wake_on) VALUES (new.id, '');
END;

CREATE TRIGGER reminder_wake_followup_update
AFTER UPDATE OF active, status, status_adopted_on, submitted_since_adoption, recommendation_id, party_code ON followups
WHEN old.active IS NOT new.active OR old.status IS NOT new.status OR old.status_adopted_on IS NOT new.status_adopted_on
    OR old.submitted_since_adoption IS NOT new.submitted_since_adoption
    OR old.recommendation_id IS NOT new.recommendation_id OR old.party_code IS NOT new.party_code
BEGIN
    INSERT OR REPLACE INTO reminder_wake (followup_id, wake_on) VALUES (new.id, '');
END;

CREATE TRIGGER reminder_wake_followup_delete AFTER DELETE ON followups
BEGIN
    DELETE FROM reminder_wake WHERE followup_id = old.id;
END;

CREATE TRIGGER reminder_wake_recommendation AFTER UPDATE OF due_on, archived, report_id ON recommendations
WHEN old.due_on IS NOT new.due_on OR old.archived IS NOT new.archived OR old.report_id IS NOT new.report_id
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE followup_id IN (SELECT id FROM followups WHERE recommendation_id = new.id) AND wake_on != '';
END;

CREATE TRIGGER reminder_wake_report AFTER UPDATE OF followup_due_on, archived ON reports
WHEN old.followup_due_on IS NOT new.followup_due_on OR old.archived IS NOT new.archived
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE followup_id IN (SELECT f.id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id
        WHERE c.report_id = new.id) AND wake_on != '';
END;

CREATE TRIGGER reminder_wake_user_insert AFTER INSERT ON users
WHEN new.active = 1 AND new.role IN ('party', 'secretariat')
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE new.role = 'party' AND followup_id IN (SELECT id FROM followups WHERE party_code = new.party_code) AND wake_on != '';
    UPDATE reminder_state SET wake_all = 1 WHERE new.role = 'secretariat';
END;

CREATE TRIGGER reminder_wake_user_update AFTER UPDATE OF active, role, party_code ON users
WHEN new.active = 1 AND new.role IN ('party', 'secretariat')
    AND (old.active IS NOT new.active OR old.role IS NOT new.role OR old.party_code IS NOT new.party_code)
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE new.role = 'party' AND followup_id IN (SELECT id FROM followups WHERE party_code = new.party_code) AND wake_on != '';
    UPDATE reminder_state SET wake_all = 1 WHERE new.role = 'secretariat';
END;
