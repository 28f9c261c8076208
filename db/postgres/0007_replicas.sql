-- Several server processes on one database (replicas): the scheduler's lease, the process and
-- term each job run ran under, and the outbox claims (see db/sqlite/0007_replicas.sql).

CREATE TABLE leases (
    name        text COLLATE "C" PRIMARY KEY,
    holder      text COLLATE "C" NOT NULL,
    term        bigint NOT NULL,
    acquired_at text COLLATE "C" NOT NULL,
    renewed_at  text COLLATE "C" NOT NULL,
    expires_at  text COLLATE "C" NOT NULL
);

ALTER TABLE job_runs ADD COLUMN holder text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE job_runs ADD COLUMN term bigint NOT NULL DEFAULT 0;

ALTER TABLE outbox ADD COLUMN claim bigint NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until text COLLATE "C";
