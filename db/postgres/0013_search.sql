-- Search across reports (internal/sqlstore/search.go). The full-text index of the
-- recommendations: English and French vectors of the label and texts, generated from them, so
-- that every write of a recommendation keeps them in step in its own transaction, and GIN
-- indexes on them. Both configurations fold diacritics with unaccent (négligence = negligence),
-- as SQLite's index does, then stem with PostgreSQL's english and french dictionaries. The
-- columns are this engine's own: the test that both engines have the same columns leaves out
-- those named fts_* (SQLite's index is an FTS5 table, internal/sqlite/fulltext.go). The
-- typographic apostrophe (d’enfants, children’s), which PostgreSQL's parser keeps inside a word,
-- separates words as the ASCII one does.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION followup_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION followup_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION followup_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION followup_french ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
ALTER TABLE recommendations ADD COLUMN fts_en tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector('followup_english', replace(label, '’', ' ')), 'A') || setweight(to_tsvector('followup_english', replace(text, '’', ' ')), 'B')) STORED;
ALTER TABLE recommendations ADD COLUMN fts_fr tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector('followup_french', replace(label, '’', ' ')), 'A') || setweight(to_tsvector('followup_french', replace(text_fr, '’', ' ')), 'B')) STORED;
CREATE INDEX recommendations_fts_en ON recommendations USING gin (fts_en);
CREATE INDEX recommendations_fts_fr ON recommendations USING gin (fts_fr);
-- The follow-up facets count a recommendation's follow-ups by status.
CREATE INDEX followups_recommendation_status ON followups (recommendation_id, status);
