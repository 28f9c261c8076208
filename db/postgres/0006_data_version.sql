-- The data version (see db/sqlite/0006_data_version.sql).
CREATE TABLE data_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, (SELECT coalesce(max(id), 0) FROM audit_log));
