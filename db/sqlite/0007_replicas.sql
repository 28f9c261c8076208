-- Several server processes on one database (replicas): the lease that makes one of them run the
-- scheduled jobs, the process and term each job run ran under, and the claims under which the
-- delivery loops hold outbox messages.

-- A lease is held by one process (holder) until expires_at unless renewed; term grows by one
-- with each new holder, and a job run's writes are committed only while its term still holds.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,    -- '' once released
    term        INTEGER NOT NULL,
    acquired_at TEXT NOT NULL,    -- when the current term began
    renewed_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- The process a run ran in and the term of the scheduler's lease; 0 for a run asked for by hand.
ALTER TABLE job_runs ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE job_runs ADD COLUMN term INTEGER NOT NULL DEFAULT 0;

-- claim counts the claims of a message: a deliverer holds it under its claim number until
-- claimed_until, and marks it only while that number is still the message's.
ALTER TABLE outbox ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
