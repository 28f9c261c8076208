-- Reports are drafts until published (see db/sqlite/0009_workflow.sql).
ALTER TABLE reports ADD COLUMN published_on text COLLATE "C";
UPDATE reports SET published_on = substr(created_at, 1, 10);

DROP TRIGGER reminder_wake_report ON reports;
CREATE TRIGGER reminder_wake_report AFTER UPDATE OF followup_due_on, archived, published_on ON reports
FOR EACH ROW
WHEN (OLD.followup_due_on IS DISTINCT FROM NEW.followup_due_on OR OLD.archived IS DISTINCT FROM NEW.archived
    OR OLD.published_on IS DISTINCT FROM NEW.published_on)
EXECUTE FUNCTION reminder_wake_report();

-- When the latest unsent draft of a follow-up was saved (see db/sqlite/0009_workflow.sql).
ALTER TABLE followups ADD COLUMN draft_saved_at text COLLATE "C";
-- The Party's drafts only: a stakeholder's draft of information (written by a user of the
-- stakeholder role, where that role exists) is not the Party's.
UPDATE followups SET draft_saved_at = (SELECT max(s.updated_at) FROM submissions s WHERE s.followup_id = followups.id AND s.draft = TRUE
    AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.author_id AND u.role = 'stakeholder'));
