// SPDX-License-Identifier: Apache-2.0

// Package sqldbtest gives tests real, isolated databases: SQLite in a
// temporary directory always, and PostgreSQL (a fresh schema per test in
// the database named by ISWIGO_TEST_DATABASE_URL) when that variable is set.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/iswigo/iswigo/crypt"
	"github.com/iswigo/iswigo/sqldb"
)

// EnvDatabaseURL names the variable holding the PostgreSQL URL of the tests.
const EnvDatabaseURL = "ISWIGO_TEST_DATABASE_URL"

// Dialects returns the dialects to test: SQLite, and PostgreSQL when
// EnvDatabaseURL is set.
func Dialects() []sqldb.Dialect {
	if os.Getenv(EnvDatabaseURL) != "" {
		return []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres}
	}
	return []sqldb.Dialect{sqldb.SQLite}
}

// Run runs fn as a subtest named after each dialect of Dialects, each with
// its own migrated database.
func Run(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Config returns the configuration of a new empty database of dialect d
// (for tests that start the server themselves): a SQLite file in a new
// temporary directory, or a new PostgreSQL schema dropped when t ends.
func Config(t testing.TB, d sqldb.Dialect) sqldb.Config {
	t.Helper()
	dir := t.TempDir()
	if d == sqldb.SQLite {
		return sqldb.Config{DataDir: dir}
	}
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		t.Fatalf("%s is not set", EnvDatabaseURL)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return sqldb.Config{URL: u.String(), DataDir: dir}
}

// Open returns a migrated database of dialect d with a working Cipher
// (its key-encryption key generated in the test's data directory),
// closed when t ends.
func Open(t testing.TB, d sqldb.Dialect) *sqldb.DB {
	t.Helper()
	return OpenConfig(t, Config(t, d))
}

// OpenConfig opens, migrates and equips with a Cipher the database of cfg,
// closed when t ends.
func OpenConfig(t testing.TB, cfg sqldb.Config) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	kek, err := crypt.OpenKEK(ctx, "", cfg.DataDir)
	if err != nil {
		t.Fatalf("key-encryption key: %v", err)
	}
	if db.Cipher, err = crypt.New(ctx, kek, db); err != nil {
		t.Fatalf("cipher: %v", err)
	}
	return db
}
