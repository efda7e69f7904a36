// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
)

var _ iswigo.FunnelService = (*DB)(nil)

// funnelHash is the stored form of a session id.
func funnelHash(id string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(id)))
	return hex.EncodeToString(sum[:])
}

// CreateFunnelSession implements iswigo.FunnelService.
func (db *DB) CreateFunnelSession(ctx context.Context, s *iswigo.FunnelSession) error {
	s.ID = iswigo.NewRandomID()
	s.CreatedAt = db.Now().UTC()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO funnel_sessions (id_hash, app_id, user_id, action, type, connection_ids,
			country, scope, provider_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			funnelHash(s.ID), s.AppID, s.UserID, s.Action, s.Type, strings.Join(s.ConnectionIDs, ","), s.Country, s.Scope,
			s.ProviderID, s.CreatedAt.UnixMicro(), s.ExpiresAt.UTC().UnixMicro())
		if err != nil {
			return fmt.Errorf("create funnel session: %w", err)
		}
		return nil
	})
}

// FindFunnelSession implements iswigo.FunnelService.
func (db *DB) FindFunnelSession(ctx context.Context, id string) (*iswigo.FunnelSession, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Funnel session not found")
	}
	s := iswigo.FunnelSession{ID: strings.ToLower(id)}
	var conns string
	var created, expires int64
	var deleted sql.NullInt64
	err := db.queryRowRead(ctx, `SELECT app_id, user_id, action, type, connection_ids, country, scope, provider_id,
		created_at, expires_at, deleted_at FROM funnel_sessions WHERE id_hash = $1`, funnelHash(id)).
		Scan(&s.AppID, &s.UserID, &s.Action, &s.Type, &conns, &s.Country, &s.Scope, &s.ProviderID, &created, &expires, &deleted)
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Funnel session not found")
	} else if err != nil {
		return nil, fmt.Errorf("find funnel session: %w", err)
	}
	if conns != "" {
		s.ConnectionIDs = strings.Split(conns, ",")
	}
	s.CreatedAt = timeFromMicros(sql.NullInt64{Int64: created, Valid: true})
	s.ExpiresAt = timeFromMicros(sql.NullInt64{Int64: expires, Valid: true})
	s.DeletedAt = timeFromMicros(deleted)
	return &s, nil
}

// DeleteFunnelSession implements iswigo.FunnelService.
func (db *DB) DeleteFunnelSession(ctx context.Context, appID, userID, id string) error {
	if !iswigo.ValidID(id) {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Funnel session not found")
	}
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE funnel_sessions SET deleted_at = $4
			WHERE id_hash = $1 AND app_id = $2 AND user_id = $3 AND deleted_at IS NULL`, funnelHash(id), appID, userID, db.now())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete funnel session: %w", err)
	} else if n == 0 {
		return iswigo.Errorf(iswigo.ENOTFOUND, "Funnel session not found")
	}
	return nil
}
