-- The web interface: server-side sessions (revocable: logging out deletes the row) and an
-- index for the rapporteurs' queue. expiry is Unix time in milliseconds (portable BIGINT).
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
