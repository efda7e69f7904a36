// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/iswigo/iswigo"
)

// DueConnections returns up to limit connections with automatic
// synchronization whose background sync is due at now and that are not
// already syncing, most overdue first.
func (db *DB) DueConnections(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return db.connectionIDs(ctx, `SELECT id FROM connections WHERE automatic_sync AND next_sync_at <= $1
		AND status NOT IN ('pending', 'in progress', 'waiting user') ORDER BY next_sync_at LIMIT $2`, now.UTC().UnixMicro(), limit)
}

// StuckConnections returns up to limit connections that say a sync is
// queued or running but whose status has not changed since before.
func (db *DB) StuckConnections(ctx context.Context, before time.Time, limit int) ([]string, error) {
	return db.connectionIDs(ctx, `SELECT id FROM connections WHERE status IN ('pending', 'in progress', 'waiting user')
		AND status_updated_at < $1 ORDER BY status_updated_at LIMIT $2`, before.UTC().UnixMicro(), limit)
}

func (db *DB) connectionIDs(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.queryRead(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query connections: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// QueueBackgroundSync queues a background (non-interactive) sync of a
// connection if it is still due and not syncing. It reports whether it did.
func (db *DB) QueueBackgroundSync(ctx context.Context, id string, now time.Time) (bool, error) {
	queued := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := db.lockConnection(ctx, tx, `id = $1`, id)
		if err != nil || c.Running() || !c.AutomaticSync || c.NextSyncAt.After(now) {
			return err
		}
		if ok, err := db.countUnattended(ctx, tx, c, now); err != nil || !ok {
			return err
		}
		queued = true
		return db.startSync(ctx, tx, c, false)
	})
	if iswigo.ErrorCode(err) == iswigo.ENOTFOUND {
		return false, nil
	}
	return queued, err
}

// RequeueStuckSync queues a new job for a connection whose sync has not
// moved since before (its job was lost), keeping its interactive flag.
// It reports whether it did.
func (db *DB) RequeueStuckSync(ctx context.Context, id string, before time.Time) (bool, error) {
	queued := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		var updated int64
		var interactive bool
		err := tx.QueryRowContext(ctx, `SELECT status, status_updated_at, sync_interactive FROM connections WHERE id = $1`, id).
			Scan(&status, &updated, &interactive)
		if errNoRows(err) {
			return nil
		} else if err != nil {
			return err
		}
		if (status != iswigo.StatusPending && status != iswigo.StatusInProgress && status != iswigo.StatusWaitingUser) ||
			updated >= before.UTC().UnixMicro() {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE connections SET status_updated_at = $2 WHERE id = $1`, id, db.now()); err != nil {
			return err
		}
		queued = true
		if db.Hooks == nil {
			return nil
		}
		_, err = db.Hooks.EnqueueSync(ctx, tx, iswigo.SyncRequest{ConnectionID: id, Interactive: interactive})
		return err
	})
	return queued, err
}
