-- The web interface: server-side sessions (revocable: logging out deletes the row).
-- expiry is Unix time in milliseconds.
CREATE TABLE sessions (
    token  text COLLATE "C" PRIMARY KEY,
    data   bytea NOT NULL,
    expiry bigint NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
