-- Bilingual content and sources: the French title and round of a report, the French text of a
-- recommendation and the French comment of an assessment (optional: pages show the English text,
-- marked as such, where the French one is missing); a link to the document of a report or a
-- recommendation; and where the tracker's record of a report, a recommendation or an
-- assessment comes from.
ALTER TABLE reports ADD COLUMN title_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN round_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN url TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN text_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN url TEXT NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN comment_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN source TEXT NOT NULL DEFAULT '';
