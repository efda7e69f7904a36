// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"

	"github.com/iswigo/iswigo"
)

// fixtureBankID is a test bank with exact, known data in three currencies
// of 2, 0 and 3 decimals, for the SimpleFIN Account Set. It stands for a
// bank's server, outside the project.
const fixtureBankID = 9002

// fixtureBank syncs: password "good" → three accounts; "wrong" → errno 2;
// "locked" → errno 8; "terms" → errno 3 with a message for the person and
// the page where they act.
type fixtureBank struct{}

func (fixtureBank) Provider() iswigo.Provider {
	return iswigo.Provider{ID: fixtureBankID, Name: "Fixture Bank", URL: "https://www.fixture-bank.example/",
		Types: []string{"bank"}, Status: "available",
		Inputs: map[string]iswigo.InputSet{"default": {Inputs: []iswigo.Input{
			{Name: "login", Type: "text", Varname: "login", MinLength: 1, Label: "Login"},
			{Name: "password", Type: "password", Varname: "password", MinLength: 1, Label: "Password"}}}}}
}

// fixtureDay is the operation date of the fixture's transactions: the
// sync's day minus n days.
func fixtureDay(now iswigo.Date, n int) iswigo.Date { return now.AddDays(-n) }

func (fixtureBank) Sync(ctx context.Context, s iswigo.SyncSession) error {
	switch s.Credentials()["password"] {
	case "wrong":
		return iswigo.Fail(iswigo.ErrnoWrongCredentials, "wrong password")
	case "locked":
		return iswigo.Fail(iswigo.ErrnoLocked, "locked")
	case "terms":
		return iswigo.FailWithMessage(iswigo.ErrnoActionNeeded, "Accept our new terms", "https://www.fixture-bank.example/terms", "terms")
	}
	today := iswigo.DateOf(s.Now())
	m := func(minor int64, cur string) *iswigo.Money { return &iswigo.Money{Minor: minor, Currency: cur} }
	accounts := []struct {
		a   iswigo.ConnectorAccount
		txs []iswigo.ConnectorTransaction
	}{
		{iswigo.ConnectorAccount{Key: "eur", Type: iswigo.AccountTypeChecking, Name: "Checking", Currency: "EUR", Balance: m(123450, "EUR")},
			[]iswigo.ConnectorTransaction{
				{ProviderID: "e3", OperationDate: fixtureDay(today, 1), Amount: *m(-5, "EUR"), Wording: "Coffee"},
				{ProviderID: "e1", OperationDate: fixtureDay(today, 3), Amount: *m(-1230, "EUR"), Wording: "Groceries"},
				{ProviderID: "e2", OperationDate: fixtureDay(today, 2), Amount: *m(100000, "EUR"), Wording: "Salary"},
			}},
		{iswigo.ConnectorAccount{Key: "jpy", Type: iswigo.AccountTypeSavings, Name: "Yen savings", Currency: "JPY", Balance: m(12345, "JPY")},
			[]iswigo.ConnectorTransaction{{ProviderID: "j1", OperationDate: fixtureDay(today, 2), Amount: *m(-300, "JPY"), Wording: "Ramen"}}},
		{iswigo.ConnectorAccount{Key: "kwd", Type: iswigo.AccountTypeChecking, Name: "Dinar", Currency: "KWD", Balance: m(1500, "KWD")},
			[]iswigo.ConnectorTransaction{{ProviderID: "k1", OperationDate: fixtureDay(today, 1), Amount: *m(-250, "KWD"), Wording: "Tea"}}},
	}
	for _, a := range accounts {
		if err := s.PutAccount(ctx, &a.a); err != nil {
			return err
		}
		if err := s.PutTransactions(ctx, a.a.Key, a.txs); err != nil {
			return err
		}
	}
	return nil
}
