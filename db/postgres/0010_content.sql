-- Bilingual content and sources (see db/sqlite/0010_content.sql).
ALTER TABLE reports ADD COLUMN title_fr text NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN round_fr text NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN url text NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN source text NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN text_fr text NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN url text NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN source text NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN comment_fr text NOT NULL DEFAULT '';
ALTER TABLE assessments ADD COLUMN source text NOT NULL DEFAULT '';
