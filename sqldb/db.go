// SPDX-License-Identifier: Apache-2.0

// Package sqldb is the one store of iswigo, for SQLite (modernc.org/sqlite,
// the embedded default) and PostgreSQL (pgx's database/sql driver). The SQL
// is shared; dialect.go holds the few differences. Secret columns are
// sealed with the DB's Cipher and bound to their row.
package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/iswigo/iswigo"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"
)

// DB is the store. It implements the root package's service interfaces.
type DB struct {
	// write takes every write transaction. On SQLite it holds one connection
	// (SQLite has one writer); on PostgreSQL it is the whole pool.
	write *sql.DB
	// read serves reads. On SQLite a separate read-only pool; on PostgreSQL
	// the same pool as write.
	read    *sql.DB
	dialect Dialect
	path    string   // the SQLite file; "" on PostgreSQL
	stmts   sync.Map // query → *sql.Stmt of the read pool

	users      *userCache         // users by id, for authenticating requests
	stopListen context.CancelFunc // stops listenUsers (PostgreSQL)
	listenDone chan struct{}      // closed when listenUsers returns

	// Cipher seals secret columns. It must be set (crypt.New) before any
	// method that reads or writes one; nil otherwise is a programming error.
	Cipher iswigo.Cipher
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// SyncInterval is how often a connection with automatic synchronization
	// is synchronized in the background, each at its own slot of the
	// interval (syncSlot), so that due times spread evenly. Defaults to 24 hours.
	SyncInterval time.Duration
	// StepTimeout is how long a sync waits for the answer to an additional
	// step before failing with errno 5. Defaults to 5 minutes.
	StepTimeout time.Duration
	// RedirectTimeout is how long a sync waits for the person to come back
	// from a redirect step (the state expires with it), and DecoupledTimeout
	// how long it polls a decoupled step, before failing with errno 5.
	// Default to 15 and 5 minutes.
	RedirectTimeout  time.Duration
	DecoupledTimeout time.Duration
	// CallbackURL is the absolute URL of the public GET /callback that
	// resumes redirect steps. Without it, a redirect step fails (errno 1).
	CallbackURL string
	// UnattendedLimit returns a provider's daily limit of background syncs
	// per connection (0 = none); nil = no limits.
	UnattendedLimit func(providerID int) int
	// StepPoll is how often a waiting sync looks for the answer. Defaults
	// to 250 milliseconds.
	StepPoll time.Duration
	// UserCacheTTL bounds how long FindUserByID serves a user from memory
	// (see DefaultUserCacheTTL, the default; negative: never cached).
	UserCacheTTL time.Duration
	// Files keeps document files. Without it, documents are refused.
	Files iswigo.FileStore
	// Hooks, when set, insert jobs in the store's transactions (sync jobs,
	// webhook deliveries). Without them, syncs are recorded but not run.
	Hooks Hooks
}

// Config says where the database is.
type Config struct {
	// URL is empty for SQLite in DataDir, "sqlite:<path>" for SQLite at a
	// path, or "postgres://..." / "postgresql://..." for PostgreSQL.
	URL string
	// DataDir holds iswigo.db when URL is empty.
	DataDir string
	// MaxOpenConns caps the PostgreSQL pool (and the SQLite read pool).
	// Defaults to DefaultPostgresConns on PostgreSQL and to
	// DefaultSQLiteReadConns() on SQLite.
	MaxOpenConns int
}

// DefaultPostgresConns is the default size of the PostgreSQL pool: the
// database's work is done by its own processes, so the pool covers their
// latency, not just this process's cores.
const DefaultPostgresConns = 16

// DefaultSQLiteReadConns returns the default size of the SQLite read pool:
// twice GOMAXPROCS, at least 4. SQLite reads run on this process's cores;
// BenchmarkHotPaths (docs/benchmarks.md) measured the same CPU per request
// and rates within noise from 2 to 32 connections on 2 cores, and each
// open connection keeps its own page cache (up to 2 MB), so more
// connections than that only cost memory.
func DefaultSQLiteReadConns() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// Open connects to the database described by cfg. It does not migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{Now: time.Now}
	switch {
	case strings.HasPrefix(cfg.URL, "postgres://") || strings.HasPrefix(cfg.URL, "postgresql://"):
		db.dialect = Postgres
		if cfg.MaxOpenConns <= 0 {
			cfg.MaxOpenConns = DefaultPostgresConns
		}
		pool, err := sql.Open("pgx", cfg.URL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(cfg.MaxOpenConns)
		pool.SetMaxIdleConns(cfg.MaxOpenConns)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		db.write, db.read = pool, pool
	case cfg.URL == "" || strings.HasPrefix(cfg.URL, "sqlite:"):
		db.dialect = SQLite
		if cfg.MaxOpenConns <= 0 {
			cfg.MaxOpenConns = DefaultSQLiteReadConns()
		}
		path := strings.TrimPrefix(cfg.URL, "sqlite:")
		if path == "" {
			if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			path = filepath.Join(cfg.DataDir, "iswigo.db")
		}
		db.path = path
		var err error
		if db.write, err = sql.Open("sqlite", sqliteDSN(path, false)); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetMaxIdleConns(1)
		db.write.SetConnMaxLifetime(0)
		if db.read, err = sql.Open("sqlite", sqliteDSN(path, true)); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.read.SetMaxOpenConns(cfg.MaxOpenConns)
		db.read.SetMaxIdleConns(cfg.MaxOpenConns)
		db.read.SetConnMaxLifetime(0)
	default:
		return nil, fmt.Errorf("unsupported database URL scheme (want postgres://, sqlite: or empty)")
	}
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	db.users = newUserCache(db.dialect == SQLite)
	if db.dialect == Postgres {
		var listenCtx context.Context
		listenCtx, db.stopListen = context.WithCancel(context.Background())
		db.listenDone = make(chan struct{})
		go db.listenUsers(listenCtx, cfg.URL)
	}
	return db, nil
}

// readerCacheKiB is the page cache of each SQLite read connection.
const readerCacheKiB = 512

// sqliteDSN returns the modernc DSN: WAL, busy timeout, foreign keys, and
// BEGIN IMMEDIATE for write transactions (a deferred transaction that
// upgrades to a write loses updates under concurrency).
//
// Read connections keep a page cache of readerCacheKiB instead of SQLite's
// 2 MiB: in WAL mode a reader drops its whole cache at its first read
// after any write, so under writes the caches empty and refill all the
// time, and the freed pages go back to the kernel and come again, sawing
// the resident set by up to 2 MiB per reader and more (docs/benchmarks.md,
// memory of the real binary: 67–83 MB over 10 minutes of mixed load with
// 2 MiB, 66–73 MB with 512 KiB); the read hot paths measured the same
// rates with either. The single write connection keeps the default: its cache lives
// across its own writes.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -readerCacheKiB))
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Dialect reports which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// SQLitePath returns the database file on SQLite, "" on PostgreSQL.
func (db *DB) SQLitePath() string { return db.path }

// WriteDB returns the pool that takes writes, for the job engine, which
// must insert its jobs in the same transactions as the store.
func (db *DB) WriteDB() *sql.DB { return db.write }

// Close closes both pools.
func (db *DB) Close() error {
	if db.stopListen != nil {
		db.stopListen()
		<-db.listenDone
		db.stopListen = nil
	}
	db.closeStatements()
	var err error
	if db.read != nil && db.read != db.write {
		err = db.read.Close()
	}
	if db.write != nil {
		if e := db.write.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Stats returns the statistics of the write pool and of the read pool.
func (db *DB) Stats() (write, read sql.DBStats) { return db.write.Stats(), db.read.Stats() }

// now returns the store's current time in microseconds since the epoch.
func (db *DB) now() int64 { return db.Now().UTC().UnixMicro() }

// inTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// timeFromMicros converts a stored time; NULL (nil) gives the zero time.
func timeFromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

// microsOrNull converts a time for storage; the zero time is NULL.
func microsOrNull(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UTC().UnixMicro(), Valid: true}
}

// nullString stores "" as NULL.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// dateOrNull stores the zero date as NULL.
func dateOrNull(d iswigo.Date) sql.NullString { return nullString(d.String()) }

// parseDate reads a stored date; NULL gives the zero date.
func parseDate(s sql.NullString) (iswigo.Date, error) {
	if !s.Valid || s.String == "" {
		return iswigo.Date{}, nil
	}
	return iswigo.ParseDate(s.String)
}
