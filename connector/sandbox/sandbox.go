// SPDX-License-Identifier: Apache-2.0

// Package sandbox provides test providers whose connectors need no network:
// a bank (999), a bank that asks a SecureKey code on every sync (998), a bank
// with monthly statements (997) and an energy supplier with invoices (996).
//
// Their data is realistic (a year of French-bank-like history, cards with
// parent accounts, savings, a loan, real PDF documents) and deterministic: it
// is derived from the login, the connection's first sync date (kept in
// connector state) and the sync date only, so a resync never changes what
// was already returned. Magic credentials select every flow; see
// docs/sandbox.md.
package sandbox

import (
	"context"
	"time"

	"github.com/iswigo/iswigo"
)

// Provider ids of the sandbox connectors.
const (
	ProviderIDBank          = 999
	ProviderIDSecureKeyBank = 998
	ProviderIDBankDocuments = 997
	ProviderIDEnergy        = 996
)

// Options configure the sandbox connectors.
type Options struct {
	// StepDelay is a pause before each progress step, so that a person (or
	// the funnel) can watch a sync progress. Defaults to 0 (no pause); the
	// server sets about 300ms in demo mode. A cancelled context ends the
	// pause at once.
	StepDelay time.Duration
}

// New returns all sandbox connectors, in provider id order from 999 down.
// They are safe for concurrent syncs.
func New(opts Options) []iswigo.Connector {
	return []iswigo.Connector{
		&bankConnector{opts: opts, provider: bankProvider},
		&secureKeyConnector{opts: opts},
		&bankConnector{opts: opts, provider: bankDocumentsProvider, statements: true},
		&energyConnector{opts: opts},
	}
}

// progress waits opts.StepDelay, then reports percent. It returns ctx's
// error as soon as ctx is done.
func (o Options) progress(ctx context.Context, s iswigo.SyncSession, percent int) error {
	return o.report(ctx, s, percent, "", 0)
}

// narrate is progress with a message key the funnel translates, for
// sessions that take one (iswigo.ProgressMessageSession).
func (o Options) narrate(ctx context.Context, s iswigo.SyncSession, percent int, key string, count int) error {
	return o.report(ctx, s, percent, key, count)
}

// report waits opts.StepDelay, then reports percent, with key when the
// session takes messages: one status change either way.
func (o Options) report(ctx context.Context, s iswigo.SyncSession, percent int, key string, count int) error {
	if o.StepDelay > 0 {
		t := time.NewTimer(o.StepDelay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	} else if err := ctx.Err(); err != nil {
		return err
	}
	if ms, ok := s.(iswigo.ProgressMessageSession); ok && key != "" {
		return ms.ProgressMessage(ctx, percent, key, count)
	}
	return s.Progress(ctx, percent)
}
