// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"testing"
)

// TestSQLiteReaderCache: every read connection has the small page cache
// (a cache emptied at each write by another connection costs memory churn,
// not speed); the write connection keeps SQLite's 2 MiB default.
func TestSQLiteReaderCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{DataDir: t.TempDir(), MaxOpenConns: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var conns []func() error
	for range 3 { // hold each connection so that the next one is another
		c, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c.Close)
		var kib int
		if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&kib); err != nil {
			t.Fatal(err)
		}
		if kib != -readerCacheKiB {
			t.Errorf("read connection cache_size %d, want %d", kib, -readerCacheKiB)
		}
	}
	for _, closeConn := range conns {
		closeConn()
	}
	var kib int
	if err := db.write.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&kib); err != nil {
		t.Fatal(err)
	}
	if kib != -2000 {
		t.Errorf("write connection cache_size %d, want SQLite's default -2000", kib)
	}
}
