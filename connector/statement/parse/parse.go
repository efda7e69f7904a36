// SPDX-License-Identifier: Apache-2.0

// Package parse reads bank statement files — OFX/QFX 1.x and 2.x, camt.052
// and camt.053, MT940 and MT942, QIF, CSV — into accounts and transactions,
// before anything is stored. It is pure (bytes in, a Result or an *Error
// out) and bounded: it never resolves XML entities or DTDs, never recurses
// without a depth limit, and keeps money exact (iswigo.Money): an amount
// with more decimals than its currency allows is an error, never rounded.
package parse

import (
	"fmt"

	"github.com/iswigo/iswigo"
)

// Format names a statement format, as in ?format=.
type Format string

// Formats.
const (
	OFX   Format = "ofx"   // OFX 1.x (SGML) and 2.x (XML), QFX
	Camt  Format = "camt"  // ISO 20022 camt.052 and camt.053, any version
	MT940 Format = "mt940" // SWIFT MT940 and MT942
	QIF   Format = "qif"
	CSV   Format = "csv"
)

// Formats lists every format, in detection order.
var Formats = []Format{OFX, Camt, MT940, QIF, CSV}

// Options steer parsing. The zero value detects everything.
type Options struct {
	// Format forces a format; "" = detect from the content.
	Format Format
	// DateOrder resolves ambiguous numeric dates (QIF, CSV): "dmy", "mdy"
	// or "ymd"; "" = infer from the file, and refuse when it is ambiguous.
	DateOrder string
	// Currency is the currency of files that name none (QIF, most CSV);
	// "" = EUR.
	Currency string
	// CSV maps columns when the header is not recognised.
	CSV CSVMapping
}

// CSVMapping names the columns of a CSV file. Columns are header names
// (matched without case or accents) or 1-based column numbers. Empty
// fields are detected.
type CSVMapping struct {
	DateCol     string
	AmountCol   string // one signed amount column, or:
	DebitCol    string // debit and credit columns
	CreditCol   string
	WordingCols []string // joined with a space
	// DateFormat is a layout written with DD, MM, YYYY (or YY), e.g.
	// "DD/MM/YYYY", "YYYY-MM-DD", "MM/DD/YY".
	DateFormat string
	// Decimal is the decimal separator: "," or "."; "" = detect.
	Decimal string
	// Delimiter is ",", ";" or "\t"; "" = detect.
	Delimiter string
}

// Result is what one file holds.
type Result struct {
	Format Format
	// Dialect says more precisely what was read, e.g. "ofx 1.02 sgml",
	// "camt.053.001.08", "mt940", "qif bank", "csv ; decimal comma".
	Dialect  string
	Accounts []*Account
}

// Transactions counts the transactions of every account.
func (r *Result) Transactions() int {
	n := 0
	for _, a := range r.Accounts {
		n += len(a.Transactions)
	}
	return n
}

// Account is one account of a file, with its transactions. Statements of
// the same account within one file are merged into one Account.
type Account struct {
	// Key identifies the account: its IBAN when the file gives one, else
	// its number (with the bank id when the format has one, "BANKID ACCTID"
	// for OFX). "" for formats without account numbers (CSV, QIF), except
	// the accounts of a QIF file with !Account blocks: their names.
	Key      string
	IBAN     string
	Number   string
	BankID   string
	Type     string // an iswigo.AccountType* constant
	Name     string // "" = none in the file
	Currency string // ISO 4217
	// Balance is the closing booked balance of the latest statement in the
	// file (OFX LEDGERBAL, camt CLBD, MT940 :62F:); nil = none.
	Balance     *iswigo.Money
	BalanceDate iswigo.Date
	// Transactions are booked transactions, in file order.
	Transactions []Transaction
}

// Transaction is one booked entry.
type Transaction struct {
	// ProviderID is the file's own id (OFX FITID, camt AcctSvcrRef or
	// NtryRef, MT940 bank reference unless empty or NONREF); "" = none
	// (ingest then uses a fingerprint). An id that one file gives to two
	// different transactions of an account is dropped from both.
	ProviderID  string
	Date        iswigo.Date  // booking date; required
	ValueDate   iswigo.Date  // zero = none
	Amount      iswigo.Money // negative = money out, in the account's currency
	Wording     string       // one line, the label people read
	Text        string       // more detail ("" = none)
	CheckNumber string
}

// Error is a parse failure: it names the format, where (a 1-based line, an
// XML element path such as "Document/BkToCstmrStmt/Stmt/Ntry[3]/Amt", or
// both for XML formats), and why. Its message is what the API's 400 says.
type Error struct {
	Format  Format
	Line    int    // 0 = not a line-based position
	Element string // "" = not an XML position
	Reason  string
}

func (e *Error) Error() string {
	f := e.Format
	if f == "" {
		f = "statement file" // detection failed: no format yet
	}
	switch {
	case e.Element != "" && e.Line > 0:
		return fmt.Sprintf("%s: line %d, element %s: %s", f, e.Line, e.Element, e.Reason)
	case e.Element != "":
		return fmt.Sprintf("%s: element %s: %s", f, e.Element, e.Reason)
	case e.Line > 0:
		return fmt.Sprintf("%s: line %d: %s", f, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", f, e.Reason)
}

// parser reads one format. Each format's file registers its parser in
// parsers from an init function, so formats stay in files of their own.
type parser func(data []byte, opt Options) (*Result, error)

var parsers = map[Format]parser{}

// MaxSize is the largest file Parse reads (the API's limit).
const MaxSize = 20 << 20

// Parse reads a statement file. The format is opt.Format or, when empty,
// detected from the content (Detect). Every failure is an *Error.
func Parse(data []byte, opt Options) (*Result, error) {
	if len(data) > MaxSize {
		return nil, &Error{Format: opt.Format, Reason: fmt.Sprintf("file larger than %d bytes", MaxSize)}
	}
	f := opt.Format
	if f == "" {
		var err error
		if f, err = Detect(data); err != nil {
			return nil, err
		}
	}
	p, ok := parsers[f]
	if !ok {
		return nil, &Error{Format: f, Reason: "unknown format (ofx, camt, mt940, qif or csv)"}
	}
	r, err := p(data, opt)
	if err != nil {
		return nil, err
	}
	r.Format = f
	return r, nil
}
