-- The date of a follow-up's latest submission as the Party gave it (see
-- db/sqlite/0015_submission_dates.sql).
ALTER TABLE followups ADD COLUMN last_submitted_on text COLLATE "C";
UPDATE followups SET last_submitted_on = (SELECT s.submitted_on FROM submissions s
    WHERE s.followup_id = followups.id AND s.draft = FALSE AND s.organisation IS NULL
    ORDER BY s.updated_at DESC, s.id DESC LIMIT 1);
