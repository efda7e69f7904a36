// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/iswigo/iswigo"
)

// AnnounceExpiringConsents emits connection.consent_expiring (and its
// webhook deliveries) for up to limit connections whose consent lapses
// before now+ahead and whose current expiration was not announced yet:
// once per consent. It returns how many it announced.
func (db *DB) AnnounceExpiringConsents(ctx context.Context, now time.Time, ahead time.Duration, limit int) (int, error) {
	ids, err := db.connectionIDs(ctx, `SELECT id FROM connections WHERE consent_expires_at IS NOT NULL
		AND consent_expires_at <= $1 AND (consent_announced_at IS NULL OR consent_announced_at <> consent_expires_at)
		ORDER BY consent_expires_at LIMIT $2`, now.Add(ahead).UTC().UnixMicro(), limit)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			c, err := db.lockConnection(ctx, tx, `id = $1`, id)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE connections SET consent_announced_at = consent_expires_at
				WHERE id = $1 AND consent_expires_at IS NOT NULL
				AND (consent_announced_at IS NULL OR consent_announced_at <> consent_expires_at)`, id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil // announced meanwhile
			}
			n++
			return db.insertEvent(ctx, tx, c.AppID, c.UserID, iswigo.EventConnectionConsentExpiring, iswigo.ConsentExpiringEventData{
				ConnectionID: c.ID, UserID: c.UserID, ProviderID: c.ProviderID,
				ConsentExpiration: c.ConsentExpiration.UTC().Format(iswigo.TimeLayout)})
		})
		if err != nil && iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			return n, fmt.Errorf("announce consent of %s: %w", id, err)
		}
	}
	return n, nil
}

// countUnattended counts one background sync of c against its provider's
// daily limit (UnattendedLimit), in tx. Over the limit it reports false and
// moves the connection's next sync to the next UTC day.
func (db *DB) countUnattended(ctx context.Context, tx *sql.Tx, c *iswigo.Connection, now time.Time) (bool, error) {
	if db.UnattendedLimit == nil {
		return true, nil
	}
	limit := db.UnattendedLimit(c.ProviderID)
	if limit <= 0 {
		return true, nil
	}
	var day sql.NullString
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT unattended_day, unattended_count FROM connections WHERE id = $1`, c.ID).
		Scan(&day, &count); err != nil {
		return false, err
	}
	today := now.UTC().Format(time.DateOnly)
	if day.String != today {
		count = 0
	}
	if count >= limit {
		y, m, d := now.UTC().Date()
		tomorrow := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
		_, err := tx.ExecContext(ctx, `UPDATE connections SET next_sync_at = $2 WHERE id = $1`, c.ID, tomorrow.UnixMicro())
		return false, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE connections SET unattended_day = $2, unattended_count = $3 WHERE id = $1`,
		c.ID, today, count+1)
	return err == nil, err
}
