-- +goose Up
-- Times are BIGINT microseconds since the Unix epoch (UTC); dates are TEXT 'YYYY-MM-DD'.
CREATE TABLE data_keys (
    id         TEXT PRIMARY KEY,
    wrapped    BLOB NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE signing_keys (
    id          TEXT PRIMARY KEY,
    private_key BLOB NOT NULL, -- encrypted PKCS#8 DER
    created_at  BIGINT NOT NULL,
    retired_at  BIGINT
);

CREATE TABLE apps (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    secret                BLOB NOT NULL, -- encrypted
    psd2                  BOOLEAN NOT NULL,
    last_terms_of_service TEXT,
    webhook_url           TEXT NOT NULL DEFAULT '',
    origins               TEXT NOT NULL DEFAULT '',
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);

CREATE TABLE users (
    id                    TEXT PRIMARY KEY,
    app_id                TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    email                 TEXT NOT NULL,
    email_key             TEXT NOT NULL, -- lower(email): unique per app
    first_name            TEXT,
    last_name             TEXT,
    company               TEXT,
    terms_of_service      TEXT,
    password_hash         TEXT NOT NULL,
    token_version         BIGINT NOT NULL DEFAULT 0,
    email_validation      TEXT,
    email_validated       BOOLEAN NOT NULL DEFAULT FALSE,
    validation_code       BLOB, -- encrypted
    validation_expires_at BIGINT,
    validation_attempts   INTEGER NOT NULL DEFAULT 0,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    UNIQUE (app_id, email_key)
);
CREATE INDEX users_app_id ON users (app_id, id);

CREATE TABLE rate_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX rate_failures_key_at ON rate_failures (key, at);

-- +goose Down
DROP TABLE rate_failures;
DROP TABLE users;
DROP TABLE apps;
DROP TABLE signing_keys;
DROP TABLE data_keys;
