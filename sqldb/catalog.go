// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/iswigo/iswigo"
)

var _ iswigo.CatalogStore = (*DB)(nil)

// AllocateProviderIDs implements iswigo.ProviderIDStore. Ids are never
// reused because rows are never deleted: a new id is one above the
// highest ever given (and at least iswigo.CatalogFirstProviderID).
//
// Two processes allocating at once (PostgreSQL) may collide on an id: the
// loser's transaction is tried again, a few times, with the winner's rows.
func (db *DB) AllocateProviderIDs(ctx context.Context, family string, keys []string) (map[string]int, error) {
	for attempt := 1; ; attempt++ {
		ids, err := db.allocateProviderIDs(ctx, family, keys)
		if err == nil || attempt == 5 || !isUniqueViolation(err) {
			return ids, err
		}
	}
}

func (db *DB) allocateProviderIDs(ctx context.Context, family string, keys []string) (map[string]int, error) {
	ids := make(map[string]int, len(keys))
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		known, err := catalogIDs(ctx, tx, family)
		if err != nil {
			return err
		}
		var next int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(provider_id), 0) FROM catalog_providers`).Scan(&next); err != nil {
			return fmt.Errorf("highest provider id: %w", err)
		}
		next = max(next+1, iswigo.CatalogFirstProviderID)
		now := db.now()
		for _, k := range keys {
			if _, done := ids[k]; done {
				continue
			}
			if id, ok := known[k]; ok {
				ids[k] = id
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_providers (family, key, provider_id, updated_at)
				VALUES ($1, $2, $3, $4)`, family, k, next, now); err != nil {
				return fmt.Errorf("allocate provider id: %w", err)
			}
			ids[k] = next
			next++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

func catalogIDs(ctx context.Context, tx *sql.Tx, family string) (map[string]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, provider_id FROM catalog_providers WHERE family = $1`, family)
	if err != nil {
		return nil, fmt.Errorf("catalog ids: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var id int
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// SaveCatalogProviders implements iswigo.CatalogStore. Entries must have
// their ids allocated.
func (db *DB) SaveCatalogProviders(ctx context.Context, family string, entries []iswigo.CatalogEntry) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE catalog_providers SET description = $3, updated_at = $4
			WHERE family = $1 AND key = $2 AND provider_id = $5`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := db.now()
		for _, e := range entries {
			b, err := json.Marshal(e.Provider)
			if err != nil {
				return err
			}
			res, err := stmt.ExecContext(ctx, family, e.Key, string(b), now, e.Provider.ID)
			if err != nil {
				return fmt.Errorf("save provider %s/%s: %w", family, e.Key, err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("save provider %s/%s: id %d was not allocated to it", family, e.Key, e.Provider.ID)
			}
		}
		return nil
	})
}

// FindCatalogProviders implements iswigo.CatalogStore. Keys allocated but
// never described are left out.
func (db *DB) FindCatalogProviders(ctx context.Context, family string) ([]iswigo.CatalogEntry, error) {
	rows, err := db.queryRead(ctx, `SELECT key, provider_id, description FROM catalog_providers
		WHERE family = $1 AND description IS NOT NULL ORDER BY provider_id`, family)
	if err != nil {
		return nil, fmt.Errorf("catalog providers: %w", err)
	}
	defer rows.Close()
	var out []iswigo.CatalogEntry
	for rows.Next() {
		var e iswigo.CatalogEntry
		var id int
		var desc string
		if err := rows.Scan(&e.Key, &id, &desc); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(desc), &e.Provider); err != nil {
			return nil, fmt.Errorf("provider %d description: %w", id, err)
		}
		e.Provider.ID = id
		out = append(out, e)
	}
	return out, rows.Err()
}
