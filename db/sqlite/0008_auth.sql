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
