-- +goose Up
-- The periodic scan reads only what it may act on: connections with
-- automatic synchronization that are not syncing, by due time, and
-- connections that say they are syncing, by when their status last
-- changed (O(connections due or syncing), not O(connections)). The
-- queries in sqldb/schedule.go repeat these WHERE clauses word for word,
-- which SQLite needs to use a partial index.
CREATE INDEX connections_due ON connections (next_sync_at)
    WHERE automatic_sync AND status NOT IN ('pending', 'in progress', 'waiting user');
CREATE INDEX connections_syncing ON connections (status_updated_at)
    WHERE status IN ('pending', 'in progress', 'waiting user');
DROP INDEX connections_next_sync_at;

-- +goose Down
CREATE INDEX connections_next_sync_at ON connections (next_sync_at);
DROP INDEX connections_syncing;
DROP INDEX connections_due;
