// SPDX-License-Identifier: Apache-2.0

package iswigo

import "context"

// TransactionSpan summarizes the transactions a TransactionFilter selects.
type TransactionSpan struct {
	Count int
	// First and Last are the earliest and latest operation dates; zero
	// when Count is 0.
	First, Last Date
}

// TransactionStreamer reads an account's whole history for exports (CSV,
// OFX), a bounded page at a time, so that memory stays flat however long
// the history. Every lookup is scoped to one user like BankService's:
// ENOTFOUND for another user's or application's account.
type TransactionStreamer interface {
	// SpanTransactions counts f's transactions (f.Range is ignored) and
	// gives their first and last operation dates.
	SpanTransactions(ctx context.Context, f TransactionFilter) (TransactionSpan, error)
	// EachTransaction calls fn with each of f's transactions (f.Range is
	// ignored), newest first in FindTransactions' order, reading them by
	// keyset pages of at most pageSize rows; no database connection is
	// held while fn runs. An error from fn stops the iteration and is
	// returned.
	EachTransaction(ctx context.Context, f TransactionFilter, pageSize int, fn func(*Transaction) error) error
}
