-- The system of record: Parties, reports, recommendations, per-Party follow-ups with their
-- append-only submissions and assessments, users, API tokens and the audit log.
-- Dates are TEXT 'YYYY-MM-DD'; instants are TEXT RFC 3339 in UTC. Keep to portable SQL.

CREATE TABLE parties (
    code       TEXT PRIMARY KEY CHECK (length(code) = 2),
    name_en    TEXT NOT NULL,
    name_fr    TEXT NOT NULL,
    joined_on  TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'secretariat', 'rapporteur', 'party')),
    party_code    TEXT REFERENCES parties (code),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    CHECK ((role = 'party') = (party_code IS NOT NULL))
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('implementation_report', 'special_report', 'visit_report', 'other')),
    round           TEXT NOT NULL DEFAULT '',
    doc_ref         TEXT NOT NULL DEFAULT '',
    adopted_on      TEXT NOT NULL,
    followup_due_on TEXT,
    archived        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE report_parties (
    report_id  INTEGER NOT NULL REFERENCES reports (id),
    party_code TEXT NOT NULL REFERENCES parties (code),
    PRIMARY KEY (report_id, party_code)
);

CREATE TABLE recommendations (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports (id),
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    category   TEXT NOT NULL CHECK (category IN ('urge', 'consider', 'invite')),
    text       TEXT NOT NULL,
    articles   TEXT NOT NULL DEFAULT '', -- article numbers separated by commas
    due_on     TEXT,
    archived   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (report_id, label)
);

-- The explicit addressees of a recommendation; none means every Party the report covers.
CREATE TABLE recommendation_addressees (
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id),
    party_code        TEXT NOT NULL REFERENCES parties (code),
    PRIMARY KEY (recommendation_id, party_code)
);

-- One follow-up per (recommendation, Party). A Party that stops being addressed keeps its row
-- (active = 0) so that its history is never lost. The columns after "active" are derived from
-- submissions and assessments and kept in step in the same transaction, so that lists and
-- reminders can filter on them without reading every submission.
CREATE TABLE followups (
    id                        INTEGER PRIMARY KEY,
    recommendation_id         INTEGER NOT NULL REFERENCES recommendations (id),
    party_code                TEXT NOT NULL REFERENCES parties (code),
    active                    INTEGER NOT NULL DEFAULT 1,
    state                     TEXT NOT NULL DEFAULT 'awaiting_submission'
                              CHECK (state IN ('awaiting_submission', 'submitted', 'assessed', 'adopted')),
    status                    TEXT, -- latest adopted status
    status_adopted_on         TEXT,
    submitted_since_adoption  INTEGER NOT NULL DEFAULT 0,
    has_submission            INTEGER NOT NULL DEFAULT 0,
    last_submitted_at         TEXT, -- when the latest submission was made, for the rapporteurs' queue
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    UNIQUE (recommendation_id, party_code)
);
CREATE INDEX followups_party ON followups (party_code, recommendation_id);
CREATE INDEX followups_state ON followups (state, last_submitted_at);

CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY,
    followup_id  INTEGER NOT NULL REFERENCES followups (id),
    text         TEXT NOT NULL,
    draft        INTEGER NOT NULL,
    submitted_on TEXT,
    author_id    INTEGER REFERENCES users (id),
    author_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX submissions_followup ON submissions (followup_id, id);

CREATE TABLE assessments (
    id          INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups (id),
    status      TEXT NOT NULL CHECK (status IN ('implemented', 'partially_implemented', 'not_implemented', 'no_information', 'not_applicable')),
    comment     TEXT NOT NULL DEFAULT '',
    assessed_on TEXT NOT NULL,
    adopted_on  TEXT,
    author_id   INTEGER REFERENCES users (id),
    author_name TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX assessments_followup ON assessments (followup_id, id);
CREATE INDEX assessments_adopted ON assessments (followup_id, adopted_on, id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor_email TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    followup_id INTEGER REFERENCES followups (id),
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_followup ON audit_log (followup_id, id);
CREATE INDEX audit_entity ON audit_log (entity, id);
