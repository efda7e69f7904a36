// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
)

var _ iswigo.BankService = (*DB)(nil)

const accountColumns = `id, connection_id, user_id, key, type, name, number, bban, iban, balance, currency,
	is_professional, parent_id, transaction_count`

// accountRow is an account and its transaction count.
type accountRow struct {
	iswigo.Account
	count int
}

func scanAccount(row interface{ Scan(...any) error }) (*accountRow, error) {
	var (
		a                          accountRow
		number, bban, iban, parent sql.NullString
		balance                    sql.NullInt64
	)
	if err := row.Scan(&a.ID, &a.ConnectionID, &a.UserID, &a.Key, &a.Type, &a.Name, &number, &bban, &iban, &balance,
		&a.Currency, &a.IsProfessional, &parent, &a.count); err != nil {
		return nil, err
	}
	a.Number, a.BBAN, a.IBAN, a.ParentID = number.String, bban.String, iban.String, parent.String
	if balance.Valid {
		a.Balance = &iswigo.Money{Minor: balance.Int64, Currency: a.Currency}
	}
	return &a, nil
}

// FindAccounts implements iswigo.BankService.
func (db *DB) FindAccounts(ctx context.Context, appID, userID string, r iswigo.Range) ([]*iswigo.Account, int, error) {
	var total int
	if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM accounts a JOIN connections c ON c.id = a.connection_id
		WHERE a.user_id = $1 AND c.app_id = $2`, userID, appID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count accounts: %w", err)
	}
	accounts := []*iswigo.Account{}
	if r.From >= total {
		return accounts, total, nil
	}
	rows, err := db.queryRead(ctx, `SELECT `+prefixed("a.", accountColumns)+` FROM accounts a
		JOIN connections c ON c.id = a.connection_id WHERE a.user_id = $1 AND c.app_id = $2
		ORDER BY a.id LIMIT $3 OFFSET $4`, userID, appID, r.Limit(), r.From)
	if err != nil {
		return nil, 0, fmt.Errorf("query accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan account: %w", err)
		}
		accounts = append(accounts, &a.Account)
	}
	return accounts, total, rows.Err()
}

// prefixed qualifies each column of a column list.
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

func (db *DB) findAccount(ctx context.Context, appID, userID, id string) (*accountRow, error) {
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Account not found")
	}
	a, err := scanAccount(db.queryRowRead(ctx, `SELECT `+prefixed("a.", accountColumns)+` FROM accounts a
		JOIN connections c ON c.id = a.connection_id WHERE a.id = $1 AND a.user_id = $2 AND c.app_id = $3`,
		strings.ToLower(id), userID, appID))
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Account not found")
	} else if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	return a, nil
}

// FindAccountByID implements iswigo.BankService.
func (db *DB) FindAccountByID(ctx context.Context, appID, userID, id string) (*iswigo.Account, error) {
	a, err := db.findAccount(ctx, appID, userID, id)
	if err != nil {
		return nil, err
	}
	return &a.Account, nil
}

const transactionSelect = `SELECT id, account_id, operation_date, value_date, accounting_date, cc_order_month,
	check_number, amount, wording, text FROM transactions `

func scanTransaction(row interface{ Scan(...any) error }, currency string) (*iswigo.Transaction, error) {
	var (
		t                               iswigo.Transaction
		op                              string
		value, accounting, order, check sql.NullString
		text                            sql.NullString
	)
	if err := row.Scan(&t.ID, &t.AccountID, &op, &value, &accounting, &order, &check, &t.Amount.Minor, &t.Wording, &text); err != nil {
		return nil, err
	}
	var err error
	if t.OperationDate, err = iswigo.ParseDate(op); err != nil {
		return nil, err
	}
	if t.ValueDate, err = parseDate(value); err != nil {
		return nil, err
	}
	if t.AccountingDate, err = parseDate(accounting); err != nil {
		return nil, err
	}
	if t.CCOrderMonth, err = parseDate(order); err != nil {
		return nil, err
	}
	t.CheckNumber, t.Text, t.Amount.Currency = check.String, text.String, currency
	return &t, nil
}

// FindTransactions implements iswigo.BankService.
func (db *DB) FindTransactions(ctx context.Context, f iswigo.TransactionFilter) ([]*iswigo.Transaction, int, error) {
	a, err := db.findAccount(ctx, f.AppID, f.UserID, f.AccountID)
	if err != nil {
		return nil, 0, err
	}
	where, args := `account_id = $1`, []any{a.ID}
	if !f.MinDate.IsZero() {
		args = append(args, f.MinDate.String())
		where += fmt.Sprintf(` AND operation_date >= $%d`, len(args))
	}
	if !f.MaxDate.IsZero() {
		args = append(args, f.MaxDate.String())
		where += fmt.Sprintf(` AND operation_date <= $%d`, len(args))
	}
	total := a.count // kept on the account: no COUNT(*) over a long history
	if len(args) > 1 {
		if err := db.queryRowRead(ctx, `SELECT COUNT(*) FROM transactions WHERE `+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count transactions: %w", err)
		}
	}
	txs := []*iswigo.Transaction{}
	if f.Range.From >= total {
		return txs, total, nil
	}
	args = append(args, f.Range.Limit(), f.Range.From)
	rows, err := db.queryRead(ctx, transactionSelect+`WHERE `+where+
		fmt.Sprintf(` ORDER BY operation_date DESC, id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("query transactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTransaction(rows, a.Currency)
		if err != nil {
			return nil, 0, fmt.Errorf("scan transaction: %w", err)
		}
		txs = append(txs, t)
	}
	return txs, total, rows.Err()
}

// FindTransactionByID implements iswigo.BankService.
func (db *DB) FindTransactionByID(ctx context.Context, appID, userID, accountID, id string) (*iswigo.Transaction, error) {
	a, err := db.findAccount(ctx, appID, userID, accountID)
	if err != nil {
		return nil, err
	}
	if !iswigo.ValidID(id) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Transaction not found")
	}
	t, err := scanTransaction(db.queryRowRead(ctx, transactionSelect+`WHERE account_id = $1 AND id = $2`,
		a.ID, strings.ToLower(id)), a.Currency)
	if errNoRows(err) {
		return nil, iswigo.Errorf(iswigo.ENOTFOUND, "Transaction not found")
	} else if err != nil {
		return nil, fmt.Errorf("find transaction: %w", err)
	}
	return t, nil
}
