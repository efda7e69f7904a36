// SPDX-License-Identifier: Apache-2.0

package iswigo

import "context"

// Account is a bank account of a connection.
type Account struct {
	ID           string
	ConnectionID string
	UserID       string
	// Key is the connector's stable key of the account.
	Key            string
	Type           string
	Name           string
	Number         string
	BBAN           string
	IBAN           string
	Balance        *Money // nil = null
	Currency       string
	IsProfessional bool
	ParentID       string // "" = null
}

// Transaction is a bank transaction.
type Transaction struct {
	ID             string
	AccountID      string
	OperationDate  Date
	ValueDate      Date
	AccountingDate Date
	CCOrderMonth   Date
	CheckNumber    string
	Amount         Money
	Wording        string
	Text           string
}

// TransactionFilter selects transactions of one account.
type TransactionFilter struct {
	AppID, UserID, AccountID string
	// MinDate and MaxDate bound operation_date, inclusive; zero = unbounded.
	MinDate, MaxDate Date
	Range            Range
}

// BankService reads bank data. Every lookup is scoped to one user.
type BankService interface {
	// FindAccounts lists the user's accounts, with the total.
	FindAccounts(ctx context.Context, appID, userID string, r Range) ([]*Account, int, error)
	// FindAccountByID returns ENOTFOUND unless the account is the user's.
	FindAccountByID(ctx context.Context, appID, userID, id string) (*Account, error)
	// FindTransactions lists an account's transactions newest first (by
	// operation date, then id), with the total. ENOTFOUND for another
	// user's account.
	FindTransactions(ctx context.Context, f TransactionFilter) ([]*Transaction, int, error)
	// FindTransactionByID returns ENOTFOUND unless the transaction belongs
	// to that account of the user.
	FindTransactionByID(ctx context.Context, appID, userID, accountID, id string) (*Transaction, error)
}
