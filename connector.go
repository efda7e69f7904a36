// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Connector synchronizes one provider. Implementations live in
// connector/...; they are registered explicitly in cmd/iswigo.
type Connector interface {
	// Provider describes the provider. It is constant.
	Provider() Provider
	// Sync logs in with s.Credentials() and puts what it finds through s.
	// It returns nil on success, a *ConnectorError carrying an errno on a
	// known failure, and any other error for a connector bug (errno 1).
	// It must return promptly when ctx is done.
	Sync(ctx context.Context, s SyncSession) error
}

// SyncSession is what a connector sees of one synchronization.
// Its methods are safe to call from the connector's goroutine only.
type SyncSession interface {
	// Credentials returns the connection's decrypted credentials by varname.
	Credentials() map[string]string
	// Interactive reports whether a person is present to answer a step
	// (a sync asked through the API or the funnel, not a background one).
	Interactive() bool
	// Now returns the time of the sync (connectors derive "today" from it).
	Now() time.Time
	// Progress reports progress in percent (0–100).
	Progress(ctx context.Context, percent int) error
	// Ask puts the connection in "waiting user" on the input set named
	// step and waits for the answer (validated against that set). It
	// returns a *ConnectorError with ErrnoSCARequired at once when nobody
	// is present, and ErrnoStepTimeout when no answer comes in time.
	Ask(ctx context.Context, step string) (map[string]string, error)
	// State returns what SaveState last stored for this connection (nil at first).
	State() []byte
	// SaveState persists connector state (cookies, tokens), encrypted.
	SaveState(ctx context.Context, state []byte) error
	// PutAccount stores or updates an account, identified by its Key.
	PutAccount(ctx context.Context, a *ConnectorAccount) error
	// PutTransactions stores the transactions of the account with key
	// accountKey (put before). Idempotent: a transaction already stored
	// (same provider id, or same fingerprint) is not stored again.
	PutTransactions(ctx context.Context, accountKey string, txs []ConnectorTransaction) error
	// PutDocument stores a document and its file, read from r. Idempotent
	// on d.Key.
	PutDocument(ctx context.Context, d *ConnectorDocument, r io.Reader) error
}

// ConnectorAccount is an account as a connector sees it.
type ConnectorAccount struct {
	// Key identifies the account at the provider, stable across syncs
	// (e.g. its number). Required.
	Key string
	// ParentKey is the Key of the account a card is attached to.
	ParentKey string
	// Type is one of the AccountType constants.
	Type         string
	Name         string
	Number       string
	BBAN         string
	IBAN         string
	Balance      *Money // nil = unknown (null)
	Currency     string // ISO 4217
	Professional bool
}

// Account types.
const (
	AccountTypeChecking           = "account"
	AccountTypeSavings            = "savings"
	AccountTypeDeferredCreditCard = "deferred credit card"
	AccountTypeCard               = "card"
	AccountTypeLoan               = "loan"
	AccountTypeMarket             = "market"
)

// ConnectorTransaction is a transaction as a connector sees it.
type ConnectorTransaction struct {
	// ProviderID is the provider's own stable id, when it has one. Without
	// one, ingest identifies the transaction by a fingerprint of account,
	// dates, amount, normalized wording and occurrence index.
	ProviderID     string
	OperationDate  Date // required
	ValueDate      Date
	AccountingDate Date
	// CCOrderMonth is, for a deferred card operation, the first day of the
	// month in which it is debited.
	CCOrderMonth Date
	CheckNumber  string
	Amount       Money // negative = money out; currency of the account
	Wording      string
	Text         string
}

// ConnectorDocument is a document's metadata as a connector sees it.
type ConnectorDocument struct {
	// Key identifies the document at the provider, stable across syncs.
	Key       string
	Name      string
	Extension string // "pdf"
	Mime      string // "application/pdf"
	Type      string // "invoice" or "document"
	// Amount and PaymentDate are the meta of an invoice.
	Amount      *Money
	PaymentDate Date
	CreatedAt   time.Time
}

// Errno says why a synchronization failed; the same numbers appear in
// status responses, events and webhooks.
type Errno int

// Errno values (design.md §2).
const (
	ErrnoBug              Errno = 1  // connector bug or unexpected answer: retried, then reported
	ErrnoWrongCredentials Errno = 2  // the user edits the connection
	ErrnoActionNeeded     Errno = 3  // action needed on the provider's website
	ErrnoUnavailable      Errno = 4  // website down or rate-limited: retried with back-off
	ErrnoStepTimeout      Errno = 5  // additional step not answered in time
	ErrnoWrongStepAnswer  Errno = 6  // wrong answer to an additional step
	ErrnoNotSupported     Errno = 7  // provider not supported any more
	ErrnoLocked           Errno = 8  // account locked by the provider
	ErrnoAuthExpired      Errno = 9  // authorization expired: re-authorize through the funnel
	ErrnoSCARequired      Errno = 10 // strong authentication needed but nobody is present
)

// Retryable reports whether the engine retries a sync that failed with e.
func (e Errno) Retryable() bool { return e == ErrnoBug || e == ErrnoUnavailable }

// ConnectorError is a known synchronization failure. Message is for logs
// and must never contain credentials.
type ConnectorError struct {
	Errno   Errno
	Message string
}

func (e *ConnectorError) Error() string { return fmt.Sprintf("errno %d: %s", e.Errno, e.Message) }

// Fail returns a *ConnectorError.
func Fail(errno Errno, format string, args ...any) *ConnectorError {
	return &ConnectorError{Errno: errno, Message: fmt.Sprintf(format, args...)}
}

// ErrnoOf returns the errno of a failed sync: the errno of a
// *ConnectorError in err's chain, ErrnoBug for any other error, 0 for nil.
func ErrnoOf(err error) Errno {
	if err == nil {
		return 0
	}
	var ce *ConnectorError
	if errors.As(err, &ce) {
		return ce.Errno
	}
	return ErrnoBug
}
