// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/iswigo/iswigo"
)

var _ iswigo.TransactionStreamer = (*DB)(nil)

// transactionWhere returns the WHERE clause and arguments selecting f's
// transactions of account a (dates inclusive, f.Range ignored).
func transactionWhere(a *accountRow, f iswigo.TransactionFilter) (string, []any) {
	where, args := `account_id = $1`, []any{a.ID}
	if !f.MinDate.IsZero() {
		args = append(args, f.MinDate.String())
		where += fmt.Sprintf(` AND operation_date >= $%d`, len(args))
	}
	if !f.MaxDate.IsZero() {
		args = append(args, f.MaxDate.String())
		where += fmt.Sprintf(` AND operation_date <= $%d`, len(args))
	}
	return where, args
}

// SpanTransactions implements iswigo.TransactionStreamer.
func (db *DB) SpanTransactions(ctx context.Context, f iswigo.TransactionFilter) (iswigo.TransactionSpan, error) {
	var span iswigo.TransactionSpan
	a, err := db.findAccount(ctx, f.AppID, f.UserID, f.AccountID)
	if err != nil {
		return span, err
	}
	where, args := transactionWhere(a, f)
	var first, last sql.NullString
	if err := db.queryRowRead(ctx, `SELECT COUNT(*), MIN(operation_date), MAX(operation_date) FROM transactions WHERE `+where,
		args...).Scan(&span.Count, &first, &last); err != nil {
		return span, fmt.Errorf("span transactions: %w", err)
	}
	if span.First, err = parseDate(first); err != nil {
		return span, err
	}
	if span.Last, err = parseDate(last); err != nil {
		return span, err
	}
	return span, nil
}

// EachTransaction implements iswigo.TransactionStreamer. Each page is one
// query on the (account_id, operation_date DESC, id DESC) index, after
// the last row of the previous page.
func (db *DB) EachTransaction(ctx context.Context, f iswigo.TransactionFilter, pageSize int, fn func(*iswigo.Transaction) error) error {
	if pageSize < 1 {
		return fmt.Errorf("each transaction: page size %d", pageSize)
	}
	a, err := db.findAccount(ctx, f.AppID, f.UserID, f.AccountID)
	if err != nil {
		return err
	}
	where, args := transactionWhere(a, f)
	page := make([]*iswigo.Transaction, 0, pageSize)
	var after *iswigo.Transaction
	for {
		q, qargs := where, args
		if after != nil {
			qargs = append(qargs[:len(qargs):len(qargs)], after.OperationDate.String(), after.ID)
			q += fmt.Sprintf(` AND (operation_date < $%d OR (operation_date = $%d AND id < $%d))`,
				len(qargs)-1, len(qargs)-1, len(qargs))
		}
		qargs = append(qargs[:len(qargs):len(qargs)], pageSize)
		if page, err = db.transactionPage(ctx, page[:0], q, qargs, a.Currency); err != nil {
			return err
		}
		for _, t := range page {
			if err := fn(t); err != nil {
				return err
			}
		}
		if len(page) < pageSize {
			return nil
		}
		after = page[len(page)-1]
	}
}

// transactionPage appends to page the rows of one keyset page; the last
// argument is the page size.
func (db *DB) transactionPage(ctx context.Context, page []*iswigo.Transaction, where string, args []any, currency string) ([]*iswigo.Transaction, error) {
	rows, err := db.queryRead(ctx, transactionSelect+`WHERE `+where+
		fmt.Sprintf(` ORDER BY operation_date DESC, id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("query transactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTransaction(rows, currency)
		if err != nil {
			return nil, fmt.Errorf("scan transaction: %w", err)
		}
		page = append(page, t)
	}
	return page, rows.Err()
}
