// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/iswigo/iswigo"
)

var (
	_ iswigo.DataKeyStore    = (*DB)(nil)
	_ iswigo.SigningKeyStore = (*DB)(nil)
)

// FindDataKeys implements iswigo.DataKeyStore.
func (db *DB) FindDataKeys(ctx context.Context) ([]*iswigo.DataKey, error) {
	rows, err := db.queryRead(ctx, `SELECT id, wrapped, created_at FROM data_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("query data keys: %w", err)
	}
	defer rows.Close()
	var keys []*iswigo.DataKey
	for rows.Next() {
		var k iswigo.DataKey
		var created sql.NullInt64
		if err := rows.Scan(&k.ID, &k.Wrapped, &created); err != nil {
			return nil, fmt.Errorf("scan data key: %w", err)
		}
		k.CreatedAt = timeFromMicros(created)
		keys = append(keys, &k)
	}
	return keys, rows.Err()
}

// CreateDataKey implements iswigo.DataKeyStore.
func (db *DB) CreateDataKey(ctx context.Context, k *iswigo.DataKey) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO data_keys (id, wrapped, created_at) VALUES ($1, $2, $3)`,
			k.ID, k.Wrapped, k.CreatedAt.UTC().UnixMicro())
		if err != nil {
			return fmt.Errorf("create data key: %w", err)
		}
		return nil
	})
}

// UpdateDataKeyWrapping implements iswigo.DataKeyStore.
func (db *DB) UpdateDataKeyWrapping(ctx context.Context, id string, wrapped []byte) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE data_keys SET wrapped = $2 WHERE id = $1`, id, wrapped)
		if err != nil {
			return fmt.Errorf("update data key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return iswigo.Errorf(iswigo.ENOTFOUND, "Data key not found")
		}
		return nil
	})
}

// FindSigningKeys implements iswigo.SigningKeyStore.
func (db *DB) FindSigningKeys(ctx context.Context, since time.Time) ([]*iswigo.SigningKey, error) {
	rows, err := db.queryRead(ctx, `SELECT id, private_key, created_at, retired_at FROM signing_keys
		WHERE retired_at IS NULL OR retired_at >= $1 ORDER BY created_at, id`, since.UTC().UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("query signing keys: %w", err)
	}
	defer rows.Close()
	var keys []*iswigo.SigningKey
	for rows.Next() {
		var k iswigo.SigningKey
		var sealed []byte
		var created, retired sql.NullInt64
		if err := rows.Scan(&k.ID, &sealed, &created, &retired); err != nil {
			return nil, fmt.Errorf("scan signing key: %w", err)
		}
		if k.PrivateDER, err = db.Cipher.Decrypt(ctx, sealed, signingKeyAAD(k.ID)); err != nil {
			return nil, fmt.Errorf("decrypt signing key %s: %w", k.ID, err)
		}
		k.CreatedAt, k.RetiredAt = timeFromMicros(created), timeFromMicros(retired)
		keys = append(keys, &k)
	}
	return keys, rows.Err()
}

// CreateSigningKey implements iswigo.SigningKeyStore.
func (db *DB) CreateSigningKey(ctx context.Context, k *iswigo.SigningKey) error {
	sealed, err := db.Cipher.Encrypt(ctx, k.PrivateDER, signingKeyAAD(k.ID))
	if err != nil {
		return fmt.Errorf("encrypt signing key: %w", err)
	}
	at := k.CreatedAt.UTC().UnixMicro()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`, at); err != nil {
			return fmt.Errorf("retire signing keys: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (id, private_key, created_at) VALUES ($1, $2, $3)`,
			k.ID, sealed, at); err != nil {
			return fmt.Errorf("create signing key: %w", err)
		}
		return nil
	})
}

func signingKeyAAD(id string) []byte { return []byte("signing_keys.private_key:" + id) }
