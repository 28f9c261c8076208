-- The data version: one number that every transaction that changes the data increases (the
-- store bumps it at commit), so that a cached compliance summary can tell, with one read,
-- whether anything changed since it was computed, whichever process made the change.
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, (SELECT coalesce(max(id), 0) FROM audit_log));
