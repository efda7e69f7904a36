-- +goose Up
CREATE TABLE connections (
    id                   TEXT PRIMARY KEY,
    app_id               TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id              TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id          INTEGER NOT NULL,
    login_masked         TEXT NOT NULL,
    credentials          BYTEA NOT NULL, -- encrypted JSON object by varname
    state                BYTEA,          -- encrypted connector state
    automatic_sync       BOOLEAN NOT NULL,
    status               TEXT NOT NULL,
    step                 TEXT,
    progression          INTEGER,
    errno                INTEGER,
    step_answer          BYTEA,          -- encrypted answer waiting for the sync
    sync_interactive     BOOLEAN NOT NULL DEFAULT FALSE,
    last_synchronized_at BIGINT,
    last_error_at        BIGINT,
    nb_errors            INTEGER NOT NULL DEFAULT 0,
    next_sync_at         BIGINT,
    status_updated_at    BIGINT NOT NULL,
    documents_pending    INTEGER NOT NULL DEFAULT 0, -- stored, not yet announced by documents.added
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX connections_user_id ON connections (user_id, id);
CREATE INDEX connections_next_sync_at ON connections (next_sync_at);

CREATE TABLE accounts (
    id                TEXT PRIMARY KEY,
    connection_id     TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL,
    key               TEXT NOT NULL,
    parent_key        TEXT,
    parent_id         TEXT,
    type              TEXT NOT NULL,
    name              TEXT NOT NULL,
    number            TEXT,
    bban              TEXT,
    iban              TEXT,
    balance           BIGINT,
    currency          TEXT NOT NULL,
    is_professional   BOOLEAN NOT NULL,
    transaction_count BIGINT NOT NULL DEFAULT 0,
    added_pending     BIGINT NOT NULL DEFAULT 0, -- stored, not yet announced by transactions.added
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (connection_id, key)
);
CREATE INDEX accounts_user_id ON accounts (user_id, id);

CREATE TABLE transactions (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key             TEXT NOT NULL, -- "p:" + provider id, or "f:" + fingerprint
    operation_date  TEXT NOT NULL,
    value_date      TEXT,
    accounting_date TEXT,
    cc_order_month  TEXT,
    check_number    TEXT,
    amount          BIGINT NOT NULL, -- minor units of the account's currency
    wording         TEXT NOT NULL,
    text            TEXT,
    UNIQUE (account_id, key)
);
CREATE INDEX transactions_account_date ON transactions (account_id, operation_date DESC, id DESC);

CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE, -- NULL for events that outlive their user
    type       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX events_app_id ON events (app_id, id);
CREATE INDEX events_user_id ON events (user_id);

-- +goose Down
DROP TABLE events;
DROP TABLE transactions;
DROP TABLE accounts;
DROP TABLE connections;
