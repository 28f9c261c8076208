-- The files of the import pages and their jobs (see db/sqlite/0014_import_uploads.sql).
CREATE TABLE import_uploads (
    id              text COLLATE "C" PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id),
    report_slug     text NOT NULL,
    kind            text COLLATE "C" NOT NULL CHECK (kind IN ('recommendations', 'assessments', 'parties')),
    name            text NOT NULL,
    format          text COLLATE "C" NOT NULL CHECK (format IN ('csv', 'xlsx')),
    size            bigint NOT NULL,
    stored          boolean NOT NULL,
    created_at      text COLLATE "C" NOT NULL,
    expires_at      text COLLATE "C" NOT NULL,
    state           text COLLATE "C" NOT NULL CHECK (state IN ('reading', 'ready', 'applying', 'applied', 'failed')),
    confirmed       boolean NOT NULL,
    claim           bigint NOT NULL,
    runner          text NOT NULL,
    heartbeat_until text COLLATE "C" NOT NULL,
    started_at      text COLLATE "C" NOT NULL,
    read_ms         bigint NOT NULL,
    rows_read       integer NOT NULL,
    rows_total      integer NOT NULL,
    preview_json    text,
    result_json     text,
    failure_code    text COLLATE "C" NOT NULL,
    failure_field   text NOT NULL,
    failure_message text NOT NULL
);
CREATE INDEX import_uploads_user ON import_uploads (user_id, stored);
CREATE INDEX import_uploads_expiry ON import_uploads (expires_at);

CREATE TABLE import_upload_chunks (
    upload_id text COLLATE "C" NOT NULL REFERENCES import_uploads (id),
    seq       integer NOT NULL,
    data      bytea NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
