-- +goose Up
CREATE TABLE statement_files (
    id                 TEXT PRIMARY KEY,
    connection_id      TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    app_id             TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    name               TEXT,             -- as given at upload (?name=)
    format             TEXT NOT NULL,    -- ofx, camt, mt940, qif, csv
    dialect            TEXT NOT NULL,
    size               BIGINT NOT NULL,
    sha1               TEXT NOT NULL,
    file_key           TEXT NOT NULL UNIQUE, -- random name in the file store
    options            TEXT NOT NULL,    -- JSON: how to read the file again at import
    accounts           INTEGER NOT NULL, -- in the file
    transactions       INTEGER NOT NULL, -- in the file
    transactions_added INTEGER,          -- by its import; NULL until imported
    transactions_known INTEGER,
    status             TEXT NOT NULL,    -- pending, imported, error
    error              TEXT,
    created_at         BIGINT NOT NULL,
    imported_at        BIGINT,
    UNIQUE (connection_id, sha1)
);
CREATE INDEX statement_files_connection ON statement_files (connection_id, id);
CREATE INDEX statement_files_user_id ON statement_files (user_id);

CREATE TABLE csv_profiles (
    app_id     TEXT NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    mapping    TEXT NOT NULL, -- JSON iswigo.CSVMapping
    created_at BIGINT NOT NULL,
    PRIMARY KEY (app_id, name)
);

-- A sync asked while one runs (a statement uploaded during an import):
-- the running sync's end queues another.
ALTER TABLE connections ADD COLUMN sync_again BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE connections DROP COLUMN sync_again;
DROP TABLE csv_profiles;
DROP TABLE statement_files;
