// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PurgeCounts says how many rows PurgeExpired deleted, by kind.
type PurgeCounts struct {
	FunnelSessions, RateFailures, Deliveries, Events int64
}

// PurgeExpired deletes what nobody needs any more: funnel sessions ended
// (expired or deleted) before sessionsBefore, rate-limit failures older
// than any window, and webhook deliveries finished (delivered or failed)
// before deliveriesBefore, with their attempts, and — when eventsBefore is
// not zero — events created before eventsBefore.
func (db *DB) PurgeExpired(ctx context.Context, sessionsBefore, deliveriesBefore, eventsBefore time.Time) (PurgeCounts, error) {
	var c PurgeCounts
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, step := range []struct {
			n     *int64
			query string
			arg   int64
		}{
			{&c.FunnelSessions, `DELETE FROM funnel_sessions WHERE expires_at < $1 OR deleted_at < $1`, sessionsBefore.UTC().UnixMicro()},
			{&c.RateFailures, `DELETE FROM rate_failures WHERE at < $1`, db.now() - rateRetention.Microseconds()},
			{&c.Deliveries, `DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND updated_at < $1`, deliveriesBefore.UTC().UnixMicro()},
			{&c.Events, `DELETE FROM events WHERE created_at < $1`, eventsBefore.UTC().UnixMicro()},
		} {
			if step.n == &c.Events && eventsBefore.IsZero() {
				continue
			}
			res, err := tx.ExecContext(ctx, step.query, step.arg)
			if err != nil {
				return fmt.Errorf("purge: %w", err)
			}
			if *step.n, err = res.RowsAffected(); err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}
