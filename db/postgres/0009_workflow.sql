-- Reports are drafts until published (see db/sqlite/0009_workflow.sql).
ALTER TABLE reports ADD COLUMN published_on text COLLATE "C";
UPDATE reports SET published_on = substr(created_at, 1, 10);

DROP TRIGGER reminder_wake_report ON reports;
CREATE TRIGGER reminder_wake_report AFTER UPDATE OF followup_due_on, archived, published_on ON reports
FOR EACH ROW
WHEN (OLD.followup_due_on IS DISTINCT FROM NEW.followup_due_on OR OLD.archived IS DISTINCT FROM NEW.archived
    OR OLD.published_on IS DISTINCT FROM NEW.published_on)
EXECUTE FUNCTION reminder_wake_report();
