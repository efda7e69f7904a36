// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// SnapshotFile is a document file that a database snapshot references.
type SnapshotFile struct {
	Key, Mime string
	Size      int64
	SHA1      string // lower-case hex
}

// ErrNotSQLite is returned by SnapshotSQLite on PostgreSQL.
var ErrNotSQLite = errors.New("not a SQLite database")

// SnapshotSQLite writes a transactionally consistent copy of the SQLite
// database to path with VACUUM INTO, while other processes keep reading
// and writing it (the copy is the state of one read transaction). path
// must not exist. ErrNotSQLite on PostgreSQL.
func (db *DB) SnapshotSQLite(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrNotSQLite
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("snapshot: %s exists", path)
	}
	// The write pool: the read pool is query_only, which forbids VACUUM.
	if _, err := db.write.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("snapshot: vacuum into %s: %w", path, err)
	}
	return nil
}

// openSQLiteFile opens the SQLite file at path read-only (mode=ro: not
// even its journal mode changes, so its bytes stay those checksummed).
func openSQLiteFile(ctx context.Context, path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	f, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	f.SetMaxOpenConns(1)
	if err := f.PingContext(ctx); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// SnapshotFiles lists the document files that the SQLite snapshot at path
// references, by key.
func SnapshotFiles(ctx context.Context, path string) ([]SnapshotFile, error) {
	f, err := openSQLiteFile(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open snapshot: %w", err)
	}
	defer f.Close()
	rows, err := f.QueryContext(ctx, `SELECT file_key, mime, size, sha1 FROM documents ORDER BY file_key`)
	if err != nil {
		return nil, fmt.Errorf("snapshot documents: %w", err)
	}
	defer rows.Close()
	var files []SnapshotFile
	for rows.Next() {
		var sf SnapshotFile
		if err := rows.Scan(&sf.Key, &sf.Mime, &sf.Size, &sf.SHA1); err != nil {
			return nil, fmt.Errorf("snapshot documents: %w", err)
		}
		files = append(files, sf)
	}
	return files, rows.Err()
}

// CheckSQLiteFile runs SQLite's quick_check on the database file at path:
// nil when the file is a sound SQLite database.
func CheckSQLiteFile(ctx context.Context, path string) error {
	f, err := openSQLiteFile(ctx, path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	var result string
	if err := f.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&result); err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("check %s: %s", path, result)
	}
	return nil
}
