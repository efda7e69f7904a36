// SPDX-License-Identifier: Apache-2.0

// Package connectortest is the standard test every connector passes
// (Exercise), and an in-memory iswigo.SyncSession (Session) for any test
// that runs a connector without the engine.
package connectortest

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/iswigo/iswigo"
)

// Session is an in-memory iswigo.SyncSession that records what a connector
// does. Set its fields before the sync and read them after; like the
// engine's sessions, it is for the connector's goroutine only.
type Session struct {
	// Creds are what Credentials returns.
	Creds map[string]string
	// Time is what Now returns.
	Time time.Time
	// Present is what Interactive returns. When false, Ask fails with
	// ErrnoSCARequired at once, as the engine does for a background sync.
	Present bool
	// AnswerFunc answers Ask when Present. It may return a
	// *iswigo.ConnectorError, such as ErrnoStepTimeout, to simulate the
	// engine. Nil means nobody answers: Ask fails with ErrnoStepTimeout.
	AnswerFunc func(step string) (map[string]string, error)
	// Inputs, when set (usually to the connector's Provider().Inputs), make
	// Ask fail for a step that is not an input set, and validate answers
	// against the set, as the engine does.
	Inputs map[string]iswigo.InputSet

	// Connection is what ConnectionID returns (iswigo.ConnectionSession):
	// the connection whose uploads the connector reads; "" = none.
	Connection string

	// SavedState is what State returns and SaveState replaces. Copy it to
	// the next sync's Session to carry state over.
	SavedState []byte

	// Asked lists the steps asked, in order, answered or not.
	Asked []string
	// Progressions lists the percentages reported, in order.
	Progressions []int
	// Accounts lists the accounts put, in order of first put; putting a
	// key again replaces the account in place.
	Accounts []iswigo.ConnectorAccount
	// Transactions lists the transactions put, by account key, in order.
	// Unlike the engine, the session does not deduplicate.
	Transactions map[string][]iswigo.ConnectorTransaction
	// Documents lists the documents put, in order of first put; putting a
	// key again replaces the document in place.
	Documents []Document
}

// Document is a document put in a Session, with its file's bytes.
type Document struct {
	iswigo.ConnectorDocument
	Data []byte
}

// NewSession returns a non-interactive session with credentials creds at
// time now, and no state.
func NewSession(creds map[string]string, now time.Time) *Session {
	return &Session{Creds: creds, Time: now}
}

var (
	_ iswigo.SyncSession       = (*Session)(nil)
	_ iswigo.ConnectionSession = (*Session)(nil)
)

// ConnectionID returns s.Connection.
func (s *Session) ConnectionID() string { return s.Connection }

// Credentials returns s.Creds.
func (s *Session) Credentials() map[string]string { return s.Creds }

// Interactive returns s.Present.
func (s *Session) Interactive() bool { return s.Present }

// Now returns s.Time.
func (s *Session) Now() time.Time { return s.Time }

// Progress records percent. It returns ctx's error when ctx is done.
func (s *Session) Progress(ctx context.Context, percent int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.Progressions = append(s.Progressions, percent)
	return nil
}

// Ask records step and answers it through s.AnswerFunc: see Present,
// AnswerFunc and Inputs.
func (s *Session) Ask(ctx context.Context, step string) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.Asked = append(s.Asked, step)
	if !s.Present {
		return nil, iswigo.Fail(iswigo.ErrnoSCARequired, "step %q needs a person and none is present", step)
	}
	set, ok := s.Inputs[step]
	if s.Inputs != nil && !ok {
		return nil, fmt.Errorf("connectortest: step %q is not an input set of the provider", step)
	}
	if s.AnswerFunc == nil {
		return nil, iswigo.Fail(iswigo.ErrnoStepTimeout, "step %q not answered in time", step)
	}
	answer, err := s.AnswerFunc(step)
	if err != nil {
		return nil, err
	}
	if s.Inputs != nil {
		if err := set.Validate(answer); err != nil {
			return nil, fmt.Errorf("connectortest: answer to step %q: %w", step, err)
		}
	}
	return answer, nil
}

// State returns s.SavedState.
func (s *Session) State() []byte { return s.SavedState }

// SaveState replaces s.SavedState with a copy of state.
func (s *Session) SaveState(ctx context.Context, state []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.SavedState = append([]byte(nil), state...)
	return nil
}

// PutAccount records a copy of a. It fails when a has no Key.
func (s *Session) PutAccount(ctx context.Context, a *iswigo.ConnectorAccount) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a.Key == "" {
		return fmt.Errorf("connectortest: account without a key")
	}
	c := *a
	if a.Balance != nil {
		b := *a.Balance
		c.Balance = &b
	}
	for i := range s.Accounts {
		if s.Accounts[i].Key == a.Key {
			s.Accounts[i] = c
			return nil
		}
	}
	s.Accounts = append(s.Accounts, c)
	return nil
}

// Account returns the account put with key, or nil.
func (s *Session) Account(key string) *iswigo.ConnectorAccount {
	for i := range s.Accounts {
		if s.Accounts[i].Key == key {
			return &s.Accounts[i]
		}
	}
	return nil
}

// PutTransactions records a copy of txs. It fails when no account was put
// with accountKey.
func (s *Session) PutTransactions(ctx context.Context, accountKey string, txs []iswigo.ConnectorTransaction) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.Account(accountKey) == nil {
		return fmt.Errorf("connectortest: transactions of account %q, which was not put", accountKey)
	}
	if s.Transactions == nil {
		s.Transactions = map[string][]iswigo.ConnectorTransaction{}
	}
	s.Transactions[accountKey] = append(s.Transactions[accountKey], txs...)
	return nil
}

// PutDocument records a copy of d and the bytes of r, read to the end.
// It fails when d has no Key.
func (s *Session) PutDocument(ctx context.Context, d *iswigo.ConnectorDocument, r io.Reader) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.Key == "" {
		return fmt.Errorf("connectortest: document without a key")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("connectortest: read document %q: %w", d.Key, err)
	}
	c := Document{ConnectorDocument: *d, Data: data}
	if d.Amount != nil {
		a := *d.Amount
		c.Amount = &a
	}
	for i := range s.Documents {
		if s.Documents[i].Key == d.Key {
			s.Documents[i] = c
			return nil
		}
	}
	s.Documents = append(s.Documents, c)
	return nil
}

// Document returns the document put with key, or nil.
func (s *Session) Document(key string) *Document {
	for i := range s.Documents {
		if s.Documents[i].Key == key {
			return &s.Documents[i]
		}
	}
	return nil
}
