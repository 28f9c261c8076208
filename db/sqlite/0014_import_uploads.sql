-- The files of the import pages, waiting between their preview and their confirmation, with
-- the record of their job (internal/followup/import_uploads.go). They are kept here rather
-- than on one server's disk and in its memory, so that any replica shows a job's page and takes
-- its confirmation, and a restart loses neither; in pieces, as the files of submissions, so
-- that neither the upload nor the reading holds a whole file in memory.
CREATE TABLE import_uploads (
    id              TEXT PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    report_slug     TEXT NOT NULL,            -- '' for Parties
    kind            TEXT NOT NULL CHECK (kind IN ('recommendations', 'assessments', 'parties')),
    name            TEXT NOT NULL,
    format          TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    size            INTEGER NOT NULL,
    stored          INTEGER NOT NULL,         -- the pieces are kept in import_upload_chunks
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    -- The job: its state, the run (claim) and its runner, and when the runner is presumed
    -- stopped (heartbeat_until).
    state           TEXT NOT NULL CHECK (state IN ('reading', 'ready', 'applying', 'applied', 'failed')),
    confirmed       INTEGER NOT NULL,
    claim           INTEGER NOT NULL,
    runner          TEXT NOT NULL,
    heartbeat_until TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    read_ms         INTEGER NOT NULL,         -- how long the dry run took
    rows_read       INTEGER NOT NULL,
    rows_total      INTEGER NOT NULL,
    preview_json    TEXT,                     -- the dry run's result (bounded: 1,000 rows, 100 errors)
    result_json     TEXT,                     -- the apply's result
    failure_code    TEXT NOT NULL,
    failure_field   TEXT NOT NULL,
    failure_message TEXT NOT NULL
);
CREATE INDEX import_uploads_user ON import_uploads (user_id, stored);
CREATE INDEX import_uploads_expiry ON import_uploads (expires_at);

CREATE TABLE import_upload_chunks (
    upload_id TEXT NOT NULL REFERENCES import_uploads (id),
    seq       INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
