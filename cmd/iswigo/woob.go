// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/woob"
	"github.com/iswigo/iswigo/sqldb"
)

// woobFlags configure the woob providers (docs/woob.md).
type woobFlags struct {
	python  string
	data    string
	modules string
}

func (f *woobFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.python, "woob-python", "", "interpreter of a virtualenv where woob 3.7 is installed (…/bin/python); empty = no woob providers")
	fs.StringVar(&f.data, "woob-data", "", "woob's data directory: module repositories and installed modules (default <data>/woob)")
	fs.StringVar(&f.modules, "woob-modules", "", "comma-separated woob module names to publish (default every installed bank and document module)")
}

// options returns the woob options, and false when --woob-python is unset
// (woob is off). dataDir is --data.
func (f woobFlags) options(dataDir string, logger *slog.Logger) (woob.Options, bool, error) {
	if f.python == "" {
		if f.data != "" || f.modules != "" {
			return woob.Options{}, false, fmt.Errorf("--woob-data and --woob-modules need --woob-python")
		}
		return woob.Options{}, false, nil
	}
	python, err := filepath.Abs(f.python)
	if err != nil {
		return woob.Options{}, false, fmt.Errorf("--woob-python: %w", err)
	}
	data := f.data
	if data == "" {
		data = filepath.Join(dataDir, "woob")
	}
	if data, err = filepath.Abs(data); err != nil {
		return woob.Options{}, false, fmt.Errorf("--woob-data: %w", err)
	}
	var modules []string
	for _, m := range strings.Split(f.modules, ",") {
		if m = strings.TrimSpace(m); m != "" {
			if strings.ContainsAny(m, "/. ") {
				return woob.Options{}, false, fmt.Errorf("--woob-modules: %q is not a module name", m)
			}
			modules = append(modules, m)
		}
	}
	return woob.Options{Python: python, DataDir: data, Modules: modules, Logger: logger}, true, nil
}

// addWoobCatalog publishes woob's modules when --woob-python is set. A
// listing that fails at start is logged (the modules known from earlier
// runs stay, unavailable) and retried at the next refresh.
func addWoobCatalog(ctx context.Context, registry *connector.Registry, db *sqldb.DB, cfg serveConfig, logger *slog.Logger) error {
	opts, on, err := cfg.woob.options(cfg.store.data, logger)
	if err != nil || !on {
		return err
	}
	cat, err := woob.New(opts)
	if err != nil {
		return err
	}
	if err := registry.AddCatalog(ctx, cat, db); err != nil {
		logger.Warn("catalog not listed at start: retried at its next refresh", "family", cat.Family(), "error", err)
	}
	return nil
}

// runWoob runs "iswigo woob update": woob's module update, with the module
// directory restored if it fails. It needs the internet (woob's module
// repository) unless sources.list names only local repositories.
func runWoob(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "update" {
		fmt.Fprintln(stderr, "usage: iswigo woob update --woob-python …/venv/bin/python [--data DIR] [--woob-data DIR] [--woob-modules a,b]")
		return flag.ErrHelp
	}
	fs := newFlagSet("woob update", stderr)
	data := fs.String("data", "./data", "data directory (woob's defaults to <data>/woob)")
	var wf woobFlags
	wf.register(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts, on, err := wf.options(*data, logger)
	if err != nil {
		return err
	}
	if !on {
		return fmt.Errorf("woob update: --woob-python is required")
	}
	return woob.Update(ctx, opts, stdout)
}
