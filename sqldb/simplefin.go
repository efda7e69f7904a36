// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

var _ iswigo.SimpleFINService = (*DB)(nil)

const simplefinColumns = `id, app_id, user_id, account_ids, claim_hash, username, password_hash,
	created_at, expires_at, claimed_at, last_access_at`

func scanSimpleFINToken(row interface{ Scan(...any) error }) (*iswigo.SimpleFINToken, error) {
	var (
		t                        iswigo.SimpleFINToken
		accounts, user, password sql.NullString
		claimHash                string
		created, expires         int64
		claimed, lastAccess      sql.NullInt64
	)
	if err := row.Scan(&t.ID, &t.AppID, &t.UserID, &accounts, &claimHash, &user, &password,
		&created, &expires, &claimed, &lastAccess); err != nil {
		return nil, err
	}
	if accounts.Valid {
		t.AccountIDs = []string{}
		if accounts.String != "" {
			t.AccountIDs = strings.Split(accounts.String, ",")
		}
	}
	var err error
	if t.ClaimHash, err = hex.DecodeString(claimHash); err != nil {
		return nil, fmt.Errorf("claim hash: %w", err)
	}
	if password.Valid {
		if t.PasswordHash, err = hex.DecodeString(password.String); err != nil {
			return nil, fmt.Errorf("password hash: %w", err)
		}
	}
	t.Username = user.String
	t.CreatedAt = timeFromMicros(sql.NullInt64{Int64: created, Valid: true})
	t.ExpiresAt = timeFromMicros(sql.NullInt64{Int64: expires, Valid: true})
	t.ClaimedAt, t.LastAccessAt = timeFromMicros(claimed), timeFromMicros(lastAccess)
	return &t, nil
}

// CreateSimpleFINToken implements iswigo.SimpleFINService.
func (db *DB) CreateSimpleFINToken(ctx context.Context, t *iswigo.SimpleFINToken) error {
	t.ID = iswigo.NewID()
	t.CreatedAt = time.UnixMicro(db.now()).UTC()
	var accounts sql.NullString
	if t.AccountIDs != nil {
		accounts = sql.NullString{String: strings.Join(t.AccountIDs, ","), Valid: true}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM simplefin_tokens
			WHERE app_id = $1 AND user_id = $2 AND claimed_at IS NULL AND expires_at <= $3`,
			t.AppID, t.UserID, t.CreatedAt.UnixMicro()); err != nil {
			return fmt.Errorf("forget expired simplefin tokens: %w", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM simplefin_tokens WHERE app_id = $1 AND user_id = $2`,
			t.AppID, t.UserID).Scan(&n); err != nil {
			return fmt.Errorf("count simplefin tokens: %w", err)
		}
		if n >= iswigo.MaxSimpleFINTokens {
			return iswigo.Errorf(iswigo.ECONFLICT, "Too many SimpleFIN tokens (%d): delete one first", n)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO simplefin_tokens (id, app_id, user_id, account_ids, claim_hash,
			created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.ID, t.AppID, t.UserID, accounts,
			hex.EncodeToString(t.ClaimHash), t.CreatedAt.UnixMicro(), t.ExpiresAt.UTC().UnixMicro()); err != nil {
			return fmt.Errorf("insert simplefin token: %w", err)
		}
		return nil
	})
}

// FindSimpleFINTokens implements iswigo.SimpleFINService.
func (db *DB) FindSimpleFINTokens(ctx context.Context, appID, userID string) ([]*iswigo.SimpleFINToken, error) {
	rows, err := db.queryRead(ctx, `SELECT `+simplefinColumns+` FROM simplefin_tokens
		WHERE app_id = $1 AND user_id = $2 ORDER BY id`, appID, userID)
	if err != nil {
		return nil, fmt.Errorf("query simplefin tokens: %w", err)
	}
	defer rows.Close()
	out := []*iswigo.SimpleFINToken{}
	for rows.Next() {
		t, err := scanSimpleFINToken(rows)
		if err != nil {
			return nil, fmt.Errorf("scan simplefin token: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteSimpleFINToken implements iswigo.SimpleFINService.
func (db *DB) DeleteSimpleFINToken(ctx context.Context, appID, userID, id string) error {
	notFound := iswigo.Errorf(iswigo.ENOTFOUND, "SimpleFIN token not found")
	if !iswigo.ValidID(id) {
		return notFound
	}
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM simplefin_tokens WHERE app_id = $1 AND user_id = $2 AND id = $3`,
			appID, userID, strings.ToLower(id))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete simplefin token: %w", err)
	} else if n == 0 {
		return notFound
	}
	return nil
}

// ClaimSimpleFINToken implements iswigo.SimpleFINService.
func (db *DB) ClaimSimpleFINToken(ctx context.Context, claimHash []byte, username string, passwordHash []byte, now time.Time) (*iswigo.SimpleFINToken, error) {
	var t *iswigo.SimpleFINToken
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = scanSimpleFINToken(tx.QueryRowContext(ctx, `UPDATE simplefin_tokens
			SET username = $2, password_hash = $3, claimed_at = $4
			WHERE claim_hash = $1 AND claimed_at IS NULL AND expires_at > $4
			RETURNING `+simplefinColumns, hex.EncodeToString(claimHash), username, hex.EncodeToString(passwordHash),
			now.UTC().UnixMicro()))
		return err
	})
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.EFORBIDDEN, "Setup token unknown, expired or already claimed")
	} else if err != nil {
		return nil, fmt.Errorf("claim simplefin token: %w", err)
	}
	return t, nil
}

// FindSimpleFINAccess implements iswigo.SimpleFINService.
func (db *DB) FindSimpleFINAccess(ctx context.Context, username string) (*iswigo.SimpleFINToken, error) {
	t, err := scanSimpleFINToken(db.queryRowRead(ctx, `SELECT `+simplefinColumns+` FROM simplefin_tokens
		WHERE username = $1 AND claimed_at IS NOT NULL`, username))
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "SimpleFIN access not found")
	} else if err != nil {
		return nil, fmt.Errorf("find simplefin access: %w", err)
	}
	return t, nil
}

// RecordSimpleFINAccess implements iswigo.SimpleFINService.
func (db *DB) RecordSimpleFINAccess(ctx context.Context, t *iswigo.SimpleFINToken, a iswigo.SimpleFINAccess, at time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE simplefin_tokens SET last_access_at = $2 WHERE id = $1`, t.ID, at.UTC().UnixMicro())
		if err != nil {
			return fmt.Errorf("record simplefin access: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			// Revoked while the Account Set was being read.
			return iswigo.Errorf(iswigo.EFORBIDDEN, "SimpleFIN access revoked")
		}
		t.LastAccessAt = at.UTC()
		return db.insertEvent(ctx, tx, t.AppID, t.UserID, iswigo.EventSimpleFINAccessed, a)
	})
}
