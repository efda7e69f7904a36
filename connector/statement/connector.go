// SPDX-License-Identifier: Apache-2.0

// Package statement is the statement import provider (900): its
// connections are fed by bank statement files that users upload (OFX/QFX,
// camt.052/053, MT940/MT942, QIF, CSV), read by the parse package. The
// Service parses an upload before anything is stored and hands good files
// to the store; the Connector imports the stored files of a connection
// during its sync, through the engine's ordinary ingest.
package statement

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/statement/parse"
)

// Connector imports a connection's pending statement files. It is safe for
// concurrent syncs (of different connections).
type Connector struct {
	files iswigo.StatementFileSource
}

// New returns the connector over files, where uploads are kept.
func New(files iswigo.StatementFileSource) *Connector { return &Connector{files: files} }

var _ iswigo.Connector = (*Connector)(nil)

// Provider implements iswigo.Connector: no credential input, property
// "statements".
func (c *Connector) Provider() iswigo.Provider {
	return iswigo.Provider{
		ID: iswigo.ProviderIDStatements, Name: "Statement import", Types: []string{iswigo.ProviderTypeBank},
		Status: "available", Inputs: map[string]iswigo.InputSet{"default": {}},
		Properties: iswigo.ProviderProperties{IBAN: true, Statements: true},
	}
}

// maxRounds bounds how many times one sync looks again for files uploaded
// while it ran (the store also queues a sync after it for those).
const maxRounds = 10

// Sync implements iswigo.Connector: it imports every pending file of the
// session's connection, oldest first, then those uploaded meanwhile. A
// file that cannot be read again is marked failed and the others go on.
// The connector state keeps each account's latest balance and its date,
// so that an older statement never overwrites a newer balance.
func (c *Connector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cs, ok := s.(iswigo.ConnectionSession)
	if !ok {
		return fmt.Errorf("statement import: the sync session does not name its connection")
	}
	st, err := loadState(s.State())
	if err != nil {
		return err
	}
	if err := s.Progress(ctx, 5); err != nil {
		return err
	}
	done := map[string]bool{}
	for round := 0; round < maxRounds; round++ {
		files, err := c.files.PendingStatementFiles(ctx, cs.ConnectionID())
		if err != nil {
			return err
		}
		var todo []*iswigo.StatementFile
		for _, f := range files {
			if !done[f.ID] {
				todo = append(todo, f)
			}
		}
		if len(todo) == 0 {
			break
		}
		for i, f := range todo {
			if err := c.importFile(ctx, s, st, f); err != nil {
				return err
			}
			done[f.ID] = true
			if err := s.Progress(ctx, 5+90*(i+1)/len(todo)); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// importFile reads f again, puts its accounts and transactions, saves the
// state and records the outcome. Only session and store failures are
// returned; a file that does not parse any more is marked failed.
func (c *Connector) importFile(ctx context.Context, s iswigo.SyncSession, st *state, f *iswigo.StatementFile) error {
	res, err := c.read(ctx, f)
	var perr *parse.Error
	if errors.As(err, &perr) {
		f.Status, f.Error = iswigo.StatementFailed, perr.Error()
		return c.files.FinishStatementFile(ctx, f)
	} else if err != nil {
		return err
	}
	added, known := 0, 0
	for _, a := range res.Accounts {
		key := a.Key
		if key == "" {
			key = f.Options.Account
		}
		if key == "" {
			f.Status, f.Error = iswigo.StatementFailed, "no account to import into"
			return c.files.FinishStatementFile(ctx, f)
		}
		acc := st.merge(key, a)
		if err := s.PutAccount(ctx, acc); err != nil {
			return err
		}
		txs := connectorTransactions(a)
		n := len(txs)
		if b, ok := s.(iswigo.BatchSession); ok {
			if n, err = b.PutTransactionBatch(ctx, key, txs); err != nil {
				return err
			}
		} else if err := s.PutTransactions(ctx, key, txs); err != nil {
			return err
		}
		added, known = added+n, known+len(txs)-n
	}
	b, err := jsonOf(st)
	if err != nil {
		return err
	}
	if err := s.SaveState(ctx, b); err != nil {
		return err
	}
	f.Status, f.TransactionsAdded, f.TransactionsKnown, f.Error = iswigo.StatementImported, added, known, ""
	return c.files.FinishStatementFile(ctx, f)
}

// read parses the stored file with the options of its upload.
func (c *Connector) read(ctx context.Context, f *iswigo.StatementFile) (*parse.Result, error) {
	rc, err := c.files.OpenStatementFile(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("open statement file %s: %w", f.ID, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, parse.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read statement file %s: %w", f.ID, err)
	}
	return parse.Parse(data, parseOptions(f.Options))
}

// connectorTransactions converts a file's transactions for ingest. A
// transaction without a label gets its text, else its check number, as
// wording (ingest and clients need one).
func connectorTransactions(a *parse.Account) []iswigo.ConnectorTransaction {
	out := make([]iswigo.ConnectorTransaction, len(a.Transactions))
	for i := range a.Transactions {
		t := &a.Transactions[i]
		wording := t.Wording
		if wording == "" {
			wording = t.Text
		}
		if wording == "" && t.CheckNumber != "" {
			wording = "Check " + t.CheckNumber
		}
		if wording == "" {
			wording = "(no label)"
		}
		amount := t.Amount
		if amount.Currency == "" {
			amount.Currency = a.Currency
		}
		out[i] = iswigo.ConnectorTransaction{ProviderID: t.ProviderID, OperationDate: t.Date, ValueDate: t.ValueDate,
			CheckNumber: t.CheckNumber, Amount: amount, Wording: wording, Text: t.Text}
	}
	return out
}

// parseOptions converts an upload's options for the parser.
func parseOptions(o iswigo.StatementOptions) parse.Options {
	m := o.CSV
	return parse.Options{Format: parse.Format(o.Format), DateOrder: o.DateOrder, Currency: o.Currency,
		CSV: parse.CSVMapping{DateCol: m.DateCol, AmountCol: m.AmountCol, DebitCol: m.DebitCol, CreditCol: m.CreditCol,
			WordingCols: m.WordingCols, DateFormat: m.DateFormat, Decimal: m.Decimal, Delimiter: m.Delimiter}}
}
