// SPDX-License-Identifier: Apache-2.0

// Package woob makes woob's bank and document modules iswigo providers.
//
// woob (LGPL, https://woob.tech) is a Python library; iswigo never links it.
// It runs the bridge program embedded here (bridge/iswigo_woob_bridge.py)
// with the interpreter of a virtualenv where woob is installed, as a child
// process per command: listing the modules, one synchronization, or the
// modules' update. They speak JSON lines on stdin and stdout, as
// docs/woob.md describes. Credentials and step answers travel on stdin
// only; the child's environment holds nothing of iswigo's; it is killed
// (its whole process group) when the sync's context ends; its output and
// memory are bounded.
package woob

import (
	"log/slog"
	"time"
)

// Family is the catalogue family of woob providers; their keys are module
// names.
const Family = "woob"

// Options configure the woob providers. Python and DataDir are required.
type Options struct {
	// Python is the interpreter of a virtualenv where woob is installed
	// (…/venv/bin/python).
	Python string
	// DataDir is woob's working and data directory: sources.list, the
	// repositories' indexes, the installed modules. It is also the bridge's
	// HOME.
	DataDir string
	// Modules restricts the providers to these module names; nil = every
	// installed module with the bank or document capability.
	Modules []string
	// MemoryLimit is a sync's bridge address-space limit in bytes
	// (RLIMIT_AS); the bridges that list or install every module get four
	// times as much. Defaults to 1 GiB; negative = none.
	MemoryLimit int64
	// IdleTimeout is the longest wait for the bridge's next message (time
	// spent waiting for a person is not counted). Defaults to 5 minutes.
	IdleTimeout time.Duration
	// StartTimeout is the longest wait for the bridge's hello (Python's
	// start and woob's import). Defaults to 1 minute.
	StartTimeout time.Duration
	// MaxLine bounds one line of the bridge's output. Defaults to 1 MiB.
	MaxLine int
	// MaxOutput bounds the bridge's whole output in one command. Defaults
	// to 512 MiB.
	MaxOutput int64
	// MaxDocument bounds one document's file. Defaults to 64 MiB.
	MaxDocument int64
	// DecoupledInterval is the pause between two polls of an app
	// validation. Defaults to 3 seconds.
	DecoupledInterval time.Duration
	// RefreshInterval is how often the module list is read again.
	// Defaults to 1 hour.
	RefreshInterval time.Duration
	// Logger receives the bridge's scrubbed log lines (debug) and item
	// failures (warn). Defaults to slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MemoryLimit == 0 {
		o.MemoryLimit = 1 << 30
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 5 * time.Minute
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = time.Minute
	}
	if o.MaxLine <= 0 {
		o.MaxLine = 1 << 20
	}
	if o.MaxOutput <= 0 {
		o.MaxOutput = 512 << 20
	}
	if o.MaxDocument <= 0 {
		o.MaxDocument = 64 << 20
	}
	if o.DecoupledInterval <= 0 {
		o.DecoupledInterval = 3 * time.Second
	}
	if o.RefreshInterval <= 0 {
		o.RefreshInterval = time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}
