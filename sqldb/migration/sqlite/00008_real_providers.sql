-- +goose Up
-- Provider ids of catalogue entries, allocated once per (family, key) and
-- never reused; description is the last known provider (JSON), so that a
-- provider gone from its catalogue is still listed, "unavailable".
CREATE TABLE catalog_providers (
    family      TEXT NOT NULL,
    key         TEXT NOT NULL,
    provider_id INTEGER NOT NULL UNIQUE,
    description TEXT,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (family, key)
);

-- Single-use states of redirect steps: the SHA-256 of the state, the sync's
-- connection, and when the step expires.
CREATE TABLE redirect_states (
    state_hash    TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX redirect_states_connection_id ON redirect_states (connection_id);

ALTER TABLE connections ADD COLUMN redirect_url TEXT;       -- while waiting on a redirect step
ALTER TABLE connections ADD COLUMN step_message TEXT;       -- while waiting on a decoupled step
ALTER TABLE connections ADD COLUMN progress_key TEXT;       -- while in progress: the message key of ProgressMessage
ALTER TABLE connections ADD COLUMN progress_count INTEGER;
ALTER TABLE connections ADD COLUMN redirect_uri TEXT;       -- where the callback sends an API-driven browser
ALTER TABLE connections ADD COLUMN consent_expires_at BIGINT;
ALTER TABLE connections ADD COLUMN consent_announced_at BIGINT; -- the consent_expires_at already announced
ALTER TABLE connections ADD COLUMN psu_ip TEXT;             -- the person of the queued interactive sync
ALTER TABLE connections ADD COLUMN psu_user_agent TEXT;
ALTER TABLE connections ADD COLUMN unattended_day TEXT;     -- UTC day of the counted background syncs
ALTER TABLE connections ADD COLUMN unattended_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX connections_consent_expires_at ON connections (consent_expires_at);

ALTER TABLE apps ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT ''; -- space-separated

-- +goose Down
DROP INDEX connections_consent_expires_at;
ALTER TABLE apps DROP COLUMN redirect_uris;
ALTER TABLE connections DROP COLUMN unattended_count;
ALTER TABLE connections DROP COLUMN unattended_day;
ALTER TABLE connections DROP COLUMN psu_user_agent;
ALTER TABLE connections DROP COLUMN psu_ip;
ALTER TABLE connections DROP COLUMN consent_announced_at;
ALTER TABLE connections DROP COLUMN consent_expires_at;
ALTER TABLE connections DROP COLUMN redirect_uri;
ALTER TABLE connections DROP COLUMN progress_count;
ALTER TABLE connections DROP COLUMN progress_key;
ALTER TABLE connections DROP COLUMN step_message;
ALTER TABLE connections DROP COLUMN redirect_url;
DROP TABLE redirect_states;
DROP TABLE catalog_providers;
