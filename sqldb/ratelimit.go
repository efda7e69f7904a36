// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/iswigo/iswigo"
)

var _ iswigo.RateLimiter = (*DB)(nil)

// rateRetention is how long failures are kept; no window may be longer.
const rateRetention = 24 * time.Hour

// RetryAfter implements iswigo.RateLimiter.
func (db *DB) RetryAfter(ctx context.Context, key string, limit int, window time.Duration) (time.Duration, error) {
	now := db.now()
	since := now - window.Microseconds()
	var count int
	var oldest sql.NullInt64
	err := db.queryRowRead(ctx, `SELECT COUNT(*), MIN(at) FROM rate_failures WHERE key = $1 AND at > $2`,
		key, since).Scan(&count, &oldest)
	if err != nil {
		return 0, fmt.Errorf("count failures: %w", err)
	}
	if count < limit || !oldest.Valid {
		return 0, nil
	}
	wait := time.Duration(oldest.Int64+window.Microseconds()-now) * time.Microsecond
	if wait < time.Second {
		wait = time.Second
	}
	return wait, nil
}

// RecordFailure implements iswigo.RateLimiter. It also forgets, now and
// then, failures older than any window.
func (db *DB) RecordFailure(ctx context.Context, key string) error {
	now := db.now()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_failures (key, at) VALUES ($1, $2)`, key, now); err != nil {
			return fmt.Errorf("record failure: %w", err)
		}
		if now%64 == 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM rate_failures WHERE at < $1`, now-rateRetention.Microseconds()); err != nil {
				return fmt.Errorf("purge failures: %w", err)
			}
		}
		return nil
	})
}
