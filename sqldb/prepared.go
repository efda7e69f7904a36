// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
)

// prepared returns the read pool's statement for query, prepared once and
// kept (database/sql prepares it again on each connection as needed).
// Queries are constant strings, so the cache is bounded by the code.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// queryRead runs a read query with a cached prepared statement.
func (db *DB) queryRead(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// rowScanner is what queryRowRead returns: a *sql.Row, or the error of
// preparing the statement.
type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// queryRowRead runs a one-row read query with a cached prepared statement.
func (db *DB) queryRowRead(ctx context.Context, query string, args ...any) rowScanner {
	s, err := db.prepared(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

// closeStatements closes every cached statement.
func (db *DB) closeStatements() {
	db.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		db.stmts.Delete(k)
		return true
	})
}
