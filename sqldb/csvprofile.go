// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/iswigo/iswigo"
)

var _ iswigo.CSVProfileService = (*DB)(nil)

// CreateCSVProfile implements iswigo.CSVProfileService.
func (db *DB) CreateCSVProfile(ctx context.Context, p *iswigo.CSVProfile) error {
	mapping, err := json.Marshal(p.Mapping)
	if err != nil {
		return err
	}
	p.CreatedAt = db.Now().UTC().Truncate(1000)
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO csv_profiles (app_id, name, mapping, created_at) VALUES ($1, $2, $3, $4)`,
			p.AppID, p.Name, string(mapping), p.CreatedAt.UnixMicro())
		return err
	})
	if isUniqueViolation(err) {
		return iswigo.Errorf(iswigo.ECONFLICT, "A CSV profile named %q exists already", p.Name)
	} else if err != nil {
		return fmt.Errorf("insert csv profile: %w", err)
	}
	return nil
}

func scanCSVProfile(row interface{ Scan(...any) error }) (*iswigo.CSVProfile, error) {
	var p iswigo.CSVProfile
	var mapping string
	var created int64
	if err := row.Scan(&p.AppID, &p.Name, &mapping, &created); err != nil {
		return nil, err
	}
	p.CreatedAt = timeFromMicros(sql.NullInt64{Int64: created, Valid: true})
	if err := json.Unmarshal([]byte(mapping), &p.Mapping); err != nil {
		return nil, fmt.Errorf("csv profile %s: %w", p.Name, err)
	}
	return &p, nil
}

// FindCSVProfile implements iswigo.StatementStore.
func (db *DB) FindCSVProfile(ctx context.Context, appID, name string) (*iswigo.CSVProfile, error) {
	p, err := scanCSVProfile(db.queryRowRead(ctx, `SELECT app_id, name, mapping, created_at FROM csv_profiles
		WHERE app_id = $1 AND name = $2`, appID, name))
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "CSV profile not found")
	} else if err != nil {
		return nil, fmt.Errorf("find csv profile: %w", err)
	}
	return p, nil
}

// FindCSVProfiles implements iswigo.CSVProfileService.
func (db *DB) FindCSVProfiles(ctx context.Context, appID string) ([]*iswigo.CSVProfile, error) {
	rows, err := db.queryRead(ctx, `SELECT app_id, name, mapping, created_at FROM csv_profiles WHERE app_id = $1 ORDER BY name`, appID)
	if err != nil {
		return nil, fmt.Errorf("query csv profiles: %w", err)
	}
	defer rows.Close()
	out := []*iswigo.CSVProfile{}
	for rows.Next() {
		p, err := scanCSVProfile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeleteCSVProfile implements iswigo.CSVProfileService.
func (db *DB) DeleteCSVProfile(ctx context.Context, appID, name string) error {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM csv_profiles WHERE app_id = $1 AND name = $2`, appID, name)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete csv profile: %w", err)
	}
	if n == 0 {
		return iswigo.Errorf(iswigo.ENOTFOUND, "CSV profile not found")
	}
	return nil
}
