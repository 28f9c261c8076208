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
