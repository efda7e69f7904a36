// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migration/sqlite/*.sql migration/postgres/*.sql
var migrations embed.FS

// provider returns the goose provider of the DB's dialect. On PostgreSQL a
// session lock keeps two processes starting together from migrating twice.
func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migration/"+string(db.dialect))
	if err != nil {
		return nil, err
	}
	switch db.dialect {
	case Postgres:
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		return goose.NewProvider(goose.DialectPostgres, db.write, sub, goose.WithSessionLocker(locker))
	default:
		return goose.NewProvider(goose.DialectSQLite3, db.write, sub)
	}
}

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ready returns nil when the database answers and every migration is applied.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	p, err := db.provider()
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("migration status: %w", err)
	}
	if pending {
		return fmt.Errorf("migrations pending")
	}
	return nil
}
