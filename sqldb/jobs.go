// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"fmt"
)

// CountJobs returns the number of River jobs not finalized, by kind and
// state (for metrics).
func (db *DB) CountJobs(ctx context.Context) (map[[2]string]int, error) {
	rows, err := db.write.QueryContext(ctx, `SELECT kind, state, COUNT(*) FROM river_job
		WHERE state NOT IN ('completed', 'cancelled', 'discarded') GROUP BY kind, state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]int{}
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return nil, err
		}
		out[[2]string{kind, state}] = n
	}
	return out, rows.Err()
}

// JobTablesReady returns nil when River's tables answer.
func (db *DB) JobTablesReady(ctx context.Context) error {
	var n int
	if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE id < 0`).Scan(&n); err != nil {
		return fmt.Errorf("job tables: %w", err)
	}
	return nil
}
