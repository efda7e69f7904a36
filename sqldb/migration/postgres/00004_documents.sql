-- +goose Up
CREATE TABLE documents (
    id            TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL,
    key           TEXT NOT NULL, -- the connector's stable key
    name          TEXT NOT NULL,
    extension     TEXT NOT NULL,
    mime          TEXT NOT NULL,
    type          TEXT NOT NULL,
    amount        BIGINT,        -- invoice amount, minor units of currency
    currency      TEXT,
    payment_date  TEXT,
    size          BIGINT NOT NULL,
    sha1          TEXT NOT NULL,
    file_key      TEXT NOT NULL UNIQUE, -- random name in the file store
    created_at    BIGINT NOT NULL,     -- the document's date
    ingested_at   BIGINT NOT NULL,
    UNIQUE (connection_id, key)
);
CREATE INDEX documents_user_id ON documents (user_id, created_at DESC, id DESC);

-- +goose Down
DROP TABLE documents;
