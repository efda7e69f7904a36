-- +goose Up
-- SimpleFIN grants (setup token → access URL). Both secrets are 32 random
-- bytes; only their SHA-256 (hex) is stored.
CREATE TABLE simplefin_tokens (
    id             TEXT PRIMARY KEY,
    app_id         TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_ids    TEXT,          -- comma-separated account ids; NULL = all accounts
    claim_hash     TEXT NOT NULL UNIQUE,
    username       TEXT UNIQUE,   -- NULL until claimed
    password_hash  TEXT,          -- NULL until claimed
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    claimed_at     BIGINT,
    last_access_at BIGINT
);
CREATE INDEX simplefin_tokens_user_id ON simplefin_tokens (user_id, id);

-- +goose Down
DROP TABLE simplefin_tokens;
