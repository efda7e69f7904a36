// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"fmt"

	"github.com/iswigo/iswigo"
)

var _ iswigo.ProviderUsageService = (*DB)(nil)

// ProviderUsage implements iswigo.ProviderUsageService.
func (db *DB) ProviderUsage(ctx context.Context, appID string) (map[int]int, error) {
	rows, err := db.queryRead(ctx, `SELECT provider_id, COUNT(*) FROM connections WHERE app_id = $1 GROUP BY provider_id`, appID)
	if err != nil {
		return nil, fmt.Errorf("provider usage: %w", err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var id, n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("provider usage: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
