// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/iswigo/iswigo/crypt"
	"github.com/iswigo/iswigo/internal/jsonlog"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/sqldb"
)

// storeFlags are the flags of every command that opens the database.
type storeFlags struct {
	data        string
	databaseURL string
	masterKey   string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "./data", "data directory: the SQLite file, generated keys, outbox")
	fs.StringVar(&f.databaseURL, "database-url", "", "empty for SQLite in the data directory, or postgres://…")
	fs.StringVar(&f.masterKey, "master-key", "", "key-encryption key URL (gocloud.dev/secrets, e.g. base64key://…); empty = generated into <data>/master.key")
}

// newFlagSet returns a flag set whose errors go to stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("iswigo "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags applies ISWIGO_<FLAG> environment variables, then args.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := "ISWIGO_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s: %w", name, err)
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// openStore opens and migrates the database and equips it with its cipher.
func openStore(ctx context.Context, f storeFlags) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, sqldb.Config{URL: f.databaseURL, DataDir: f.data})
	if err != nil {
		return nil, err
	}
	if err := migrateAll(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	kek, err := crypt.OpenKEK(ctx, f.masterKey, f.data)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("master key: %w", err)
	}
	cipher, err := crypt.New(ctx, kek, db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("data keys: %w", err)
	}
	db.Cipher = cipher
	return db, nil
}

// parseAndOpenStore parses the command's flags, then opens its store.
// The caller closes the store.
func parseAndOpenStore(ctx context.Context, fs *flag.FlagSet, args []string, sf *storeFlags) (*sqldb.DB, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return openStore(ctx, *sf)
}

// migrateAll applies the store's migrations and the job engine's.
func migrateAll(ctx context.Context, db *sqldb.DB) error {
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	return job.Migrate(ctx, db)
}

// newLogger returns a JSON (or text) logger on w at level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(jsonlog.NewHandler(w, opts)), nil // slog.JSONHandler's lines, formatted faster
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: want json or text, got %q", format)
}

// buildVersion is set with -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			return info.Main.Version
		}
	}
	return "dev"
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", stderr)
	var sf storeFlags
	sf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := sqldb.Open(ctx, sqldb.Config{URL: sf.databaseURL, DataDir: sf.data})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrateAll(ctx, db); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}
