-- Sign-in, passwords and sessions shared by every server on the database.
--
-- Failed password checks (signing in, the current password of a change), which the sign-in
-- throttle counts per account and client address, per account and per address
-- (followup.LoginLimits). An attempt is counted when it begins and forgotten for its account
-- and address when the password was right. "at" is an instant in UTC with a fixed number of
-- digits, so that the order of the text is the order of time. Rows older than the longest
-- window are deleted on every write of the table.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    account TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, address, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- Web sessions, keyed by the SHA-256 (hex) of the session id instead of the id itself, so that
-- a copy of the table (a backup) holds nothing that works as a cookie. The sessions of before
-- are dropped: their users sign in again. user_id is the session's signed-in user (NULL before
-- signing in). A password change or reset and a deactivation end every session of the user in
-- their own transaction by marking it ended, rather than deleting it, so that a request of that
-- session still under way cannot write it back when it finishes; ended rows go with their expiry.
DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER REFERENCES users (id),
    data       BLOB NOT NULL,
    expiry     BIGINT NOT NULL,
    ended      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

-- Who wrote an audit entry, by name and role as they were then: a Party's users read its
-- follow-ups' history with names, never the addresses of the Secretariat's staff
-- (followup.VisibleHistory). Older entries get the role of their account where it is known, and
-- no name.
ALTER TABLE audit_log ADD COLUMN actor_name TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN actor_role TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET actor_role = coalesce((SELECT role FROM users WHERE users.id = audit_log.actor_id), '')
    WHERE actor_id IS NOT NULL;
UPDATE audit_log SET actor_name = 'System', actor_role = 'admin' WHERE actor_email = 'system';
