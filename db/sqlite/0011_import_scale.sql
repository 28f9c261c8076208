-- Imports at scale: a new recommendation takes the next position of its report
-- (max(position) + 1), which without this index reads every recommendation of the report, so
-- that a file of 50,000 recommendations took a time that grew with the square of its rows.
CREATE INDEX recommendations_position ON recommendations (report_id, position);
