-- +goose Up
-- One row per process that runs jobs (roles worker and all), renewed every
-- few seconds. A running job whose River client (the last of its
-- attempted_by) has no live lease here is lost and released for retry.
CREATE TABLE job_leases (
    client_id   TEXT PRIMARY KEY, -- River's client ID of the process
    worker_name TEXT NOT NULL,    -- stable across restarts (--worker-name)
    host        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  BIGINT NOT NULL,  -- Unix microseconds
    expires_at  BIGINT NOT NULL   -- Unix microseconds
);
CREATE INDEX job_leases_worker_name ON job_leases (worker_name);

-- +goose Down
DROP TABLE job_leases;
