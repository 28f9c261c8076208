-- The reminders job's schedule (see db/sqlite/0005_reminders.sql for the reasoning): for each
-- follow-up, the first day on which the job can have anything new to say about it. Whatever
-- changes a follow-up's facts sets wake_on back to '' (read by the next run), by the triggers
-- below, in the same transaction as the change.

CREATE TABLE reminder_wake (
    followup_id bigint PRIMARY KEY REFERENCES followups (id) ON DELETE CASCADE,
    wake_on     text COLLATE "C" NOT NULL DEFAULT '' -- '' = at the next run; '9999-12-31' = until something changes
);
CREATE INDEX reminder_wake_on ON reminder_wake (wake_on);

INSERT INTO reminder_wake (followup_id, wake_on) SELECT id, '' FROM followups;

CREATE TABLE reminder_state (
    id       integer PRIMARY KEY CHECK (id = 1),
    rules    text NOT NULL DEFAULT '',
    wake_all boolean NOT NULL DEFAULT true
);
INSERT INTO reminder_state (id) VALUES (1);

CREATE FUNCTION reminder_wake_followup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reminder_wake (followup_id, wake_on) VALUES (NEW.id, '')
    ON CONFLICT (followup_id) DO UPDATE SET wake_on = '';
    RETURN NULL;
END;
$$;

CREATE TRIGGER reminder_wake_followup_insert AFTER INSERT ON followups
FOR EACH ROW EXECUTE FUNCTION reminder_wake_followup();

CREATE TRIGGER reminder_wake_followup_update
AFTER UPDATE OF active, status, status_adopted_on, submitted_since_adoption, recommendation_id, party_code ON followups
FOR EACH ROW
WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.status IS DISTINCT FROM NEW.status
    OR OLD.status_adopted_on IS DISTINCT FROM NEW.status_adopted_on
    OR OLD.submitted_since_adoption IS DISTINCT FROM NEW.submitted_since_adoption
    OR OLD.recommendation_id IS DISTINCT FROM NEW.recommendation_id OR OLD.party_code IS DISTINCT FROM NEW.party_code)
EXECUTE FUNCTION reminder_wake_followup();

CREATE FUNCTION reminder_wake_recommendation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE followup_id IN (SELECT id FROM followups WHERE recommendation_id = NEW.id) AND wake_on != '';
    RETURN NULL;
END;
$$;

CREATE TRIGGER reminder_wake_recommendation AFTER UPDATE OF due_on, archived, report_id ON recommendations
FOR EACH ROW
WHEN (OLD.due_on IS DISTINCT FROM NEW.due_on OR OLD.archived IS DISTINCT FROM NEW.archived OR OLD.report_id IS DISTINCT FROM NEW.report_id)
EXECUTE FUNCTION reminder_wake_recommendation();

CREATE FUNCTION reminder_wake_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE followup_id IN (SELECT f.id FROM followups f JOIN recommendations c ON c.id = f.recommendation_id
        WHERE c.report_id = NEW.id) AND wake_on != '';
    RETURN NULL;
END;
$$;

CREATE TRIGGER reminder_wake_report AFTER UPDATE OF followup_due_on, archived ON reports
FOR EACH ROW
WHEN (OLD.followup_due_on IS DISTINCT FROM NEW.followup_due_on OR OLD.archived IS DISTINCT FROM NEW.archived)
EXECUTE FUNCTION reminder_wake_report();

CREATE FUNCTION reminder_wake_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role = 'party' THEN
        UPDATE reminder_wake SET wake_on = ''
        WHERE followup_id IN (SELECT id FROM followups WHERE party_code = NEW.party_code) AND wake_on != '';
    ELSIF NEW.role = 'secretariat' THEN
        UPDATE reminder_state SET wake_all = true;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER reminder_wake_user_insert AFTER INSERT ON users
FOR EACH ROW
WHEN (NEW.active AND NEW.role IN ('party', 'secretariat'))
EXECUTE FUNCTION reminder_wake_user();

CREATE TRIGGER reminder_wake_user_update AFTER UPDATE OF active, role, party_code ON users
FOR EACH ROW
WHEN (NEW.active AND NEW.role IN ('party', 'secretariat')
    AND (OLD.active IS DISTINCT FROM NEW.active OR OLD.role IS DISTINCT FROM NEW.role OR OLD.party_code IS DISTINCT FROM NEW.party_code))
EXECUTE FUNCTION reminder_wake_user();
