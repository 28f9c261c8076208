-- Scheduled jobs: their runs, the outbox of e-mails with its idempotency keys, what reminder
-- point each follow-up last reached for each audience, the daily compliance snapshots, the
-- secret calendar-feed tokens, and each user's language for e-mails.

ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';

CREATE TABLE job_runs (
    id            INTEGER PRIMARY KEY,
    job           TEXT NOT NULL,
    scheduled_for TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    counts        TEXT NOT NULL DEFAULT '{}',
    error         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job ON job_runs (job, scheduled_for);

-- A message is written here by the job that decides to send it, in the same transaction, under
-- a unique idempotency key; the delivery loop sends it and marks it. Nothing is ever deleted.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    recipient_name  TEXT NOT NULL DEFAULT '',
    lang            TEXT NOT NULL DEFAULT 'en',
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT,
    items           TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (recipient, id);

-- The last reminder point sent for a follow-up to an audience ('party' or 'secretariat'), for
-- the due date it was computed from. The reminders job reads it with the candidates in one
-- query and moves it in the same transaction as the outbox write.
CREATE TABLE reminder_marks (
    followup_id INTEGER NOT NULL REFERENCES followups (id),
    audience    TEXT NOT NULL CHECK (audience IN ('party', 'secretariat')),
    due_on      TEXT NOT NULL,
    point       TEXT NOT NULL,
    point_on    TEXT NOT NULL,
    outbox_at   TEXT NOT NULL,
    PRIMARY KEY (followup_id, audience)
);

CREATE TABLE compliance_snapshots (
    id          INTEGER PRIMARY KEY,
    snapshot_on TEXT NOT NULL,
    report_id   INTEGER NOT NULL REFERENCES reports (id),
    party_code  TEXT REFERENCES parties (code), -- NULL: the report overall
    counts      TEXT NOT NULL,
    score       REAL,
    total       INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
-- One snapshot per day, report and Party (or overall): NULLs are distinct in UNIQUE, hence coalesce.
CREATE UNIQUE INDEX compliance_snapshots_day ON compliance_snapshots (report_id, coalesce(party_code, ''), snapshot_on);

CREATE TABLE calendar_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX calendar_tokens_user ON calendar_tokens (user_id);
