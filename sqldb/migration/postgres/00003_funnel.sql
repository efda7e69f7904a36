-- +goose Up
-- A funnel session's id is a credential: only its SHA-256 is stored.
CREATE TABLE funnel_sessions (
    id_hash        TEXT PRIMARY KEY,
    app_id         TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    action         TEXT NOT NULL,
    type           TEXT NOT NULL DEFAULT '',
    connection_ids TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT '',
    scope          INTEGER NOT NULL DEFAULT 0,
    provider_id    INTEGER NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    deleted_at     BIGINT
);
CREATE INDEX funnel_sessions_user_id ON funnel_sessions (user_id);
CREATE INDEX funnel_sessions_expires_at ON funnel_sessions (expires_at);

-- +goose Down
DROP TABLE funnel_sessions;
