-- The date of a follow-up's latest submission as the Party gave it (the event date), beside
-- when it was recorded (last_submitted_at): the rapporteurs' queue and digest count a
-- submission's wait from it and list the oldest by it. The store keeps it in step with each
-- submission of the Party's account; a stakeholder's information is not the Party's.
ALTER TABLE followups ADD COLUMN last_submitted_on TEXT;
-- The latest submitted one: a draft submitted late was last written when it was submitted.
UPDATE followups SET last_submitted_on = (SELECT s.submitted_on FROM submissions s
    WHERE s.followup_id = followups.id AND s.draft = FALSE AND s.organisation IS NULL
    ORDER BY s.updated_at DESC, s.id DESC LIMIT 1);
