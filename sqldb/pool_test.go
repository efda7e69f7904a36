// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"runtime"
	"testing"

	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestPoolSizes: the read pool is sized by dialect unless the
// configuration says otherwise; SQLite writes always take one connection.
func TestPoolSizes(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			want := sqldb.DefaultPostgresConns
			if d == sqldb.SQLite {
				want = max(4, 2*runtime.GOMAXPROCS(0))
			}
			write, read := sqldbtest.OpenConfig(t, sqldbtest.Config(t, d)).Stats()
			if read.MaxOpenConnections != want {
				t.Errorf("default read pool: %d connections, want %d", read.MaxOpenConnections, want)
			}
			if d == sqldb.SQLite && write.MaxOpenConnections != 1 {
				t.Errorf("SQLite write pool: %d connections, want 1", write.MaxOpenConnections)
			}
			cfg := sqldbtest.Config(t, d)
			cfg.MaxOpenConns = 3
			if _, read := sqldbtest.OpenConfig(t, cfg).Stats(); read.MaxOpenConnections != 3 {
				t.Errorf("MaxOpenConns 3: read pool of %d", read.MaxOpenConnections)
			}
		})
	}
}
