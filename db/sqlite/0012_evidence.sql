-- The Committee's procedure beyond texts: the files of submissions (kept here, in chunks, so
-- that neither an upload nor a download holds a whole file in memory, and never on a path built
-- from a name), the publication of submissions, stakeholders (organisations other than the
-- Parties) and their information, and requests for clarification with their reminders.

-- Users gain the stakeholder role, bound to an organisation. SQLite cannot change a CHECK
-- constraint, so the table is rebuilt. Within the migration's transaction foreign keys cannot be
-- switched off; they are deferred instead: dropping the table leaves the tokens, sessions and
-- authors that point at users dangling for a moment, and inserting the same rows again, under
-- the same ids, mends every one of them before the commit checks.
CREATE TABLE users_copy AS SELECT id, email, name, role, party_code, password_hash, active, created_at, lang FROM users;
PRAGMA defer_foreign_keys = ON;
DROP TABLE users;
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'secretariat', 'rapporteur', 'party', 'stakeholder')),
    party_code    TEXT REFERENCES parties (code),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'en',
    organisation  TEXT,
    CHECK ((role = 'party') = (party_code IS NOT NULL)),
    CHECK ((role = 'stakeholder') = (organisation IS NOT NULL))
);
INSERT INTO users (id, email, name, role, party_code, password_hash, active, created_at, lang)
    SELECT id, email, name, role, party_code, password_hash, active, created_at, lang FROM users_copy;
DROP TABLE users_copy;

-- The triggers of db/sqlite/0005_reminders.sql on users went with the old table.
CREATE TRIGGER reminder_wake_user_insert AFTER INSERT ON users
WHEN new.active = 1 AND new.role IN ('party', 'secretariat')
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE new.role = 'party' AND followup_id IN (SELECT id FROM followups WHERE party_code = new.party_code) AND wake_on != '';
    UPDATE reminder_state SET wake_all = 1 WHERE new.role = 'secretariat';
END;

CREATE TRIGGER reminder_wake_user_update AFTER UPDATE OF active, role, party_code ON users
WHEN new.active = 1 AND new.role IN ('party', 'secretariat')
    AND (old.active IS NOT new.active OR old.role IS NOT new.role OR old.party_code IS NOT new.party_code)
BEGIN
    UPDATE reminder_wake SET wake_on = ''
    WHERE new.role = 'party' AND followup_id IN (SELECT id FROM followups WHERE party_code = new.party_code) AND wake_on != '';
    UPDATE reminder_state SET wake_all = 1 WHERE new.role = 'secretariat';
END;

-- A request for clarification put to the Party of a follow-up. It is open until a submission
-- of the Party answers it (answered_by, answered_on). followups.open_requests counts the open
-- ones, kept in step in the same transaction, so that lists can show the state without a join.
CREATE TABLE clarification_requests (
    id           INTEGER PRIMARY KEY,
    followup_id  INTEGER NOT NULL REFERENCES followups (id),
    question     TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    author_id    INTEGER REFERENCES users (id),
    author_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    answered_by  INTEGER REFERENCES submissions (id),
    answered_on  TEXT
);
CREATE INDEX clarification_requests_followup ON clarification_requests (followup_id, id);
CREATE INDEX clarification_requests_open ON clarification_requests (answered_on, due_on);

ALTER TABLE followups ADD COLUMN open_requests INTEGER NOT NULL DEFAULT 0;

-- Who sent a submission (a stakeholder's organisation; NULL for the Party's own account), when
-- the Secretariat published it, and which request it answers.
ALTER TABLE submissions ADD COLUMN organisation TEXT;
ALTER TABLE submissions ADD COLUMN published_on TEXT;
ALTER TABLE submissions ADD COLUMN answers_request INTEGER REFERENCES clarification_requests (id);

-- The files of a submission, described here and stored in attachment_chunks, in order.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX attachments_submission ON attachments (submission_id, position);

CREATE TABLE attachment_chunks (
    attachment_id INTEGER NOT NULL REFERENCES attachments (id),
    seq           INTEGER NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);

-- The last reminder point sent of a request to an audience, as reminder_marks for follow-ups.
CREATE TABLE clarification_reminder_marks (
    request_id INTEGER NOT NULL REFERENCES clarification_requests (id),
    audience   TEXT NOT NULL CHECK (audience IN ('party', 'secretariat')),
    due_on     TEXT NOT NULL,
    point      TEXT NOT NULL,
    point_on   TEXT NOT NULL,
    outbox_at  TEXT NOT NULL,
    PRIMARY KEY (request_id, audience)
);
