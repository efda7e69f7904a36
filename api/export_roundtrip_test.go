// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"io"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/connector/statement/parse"
)

// TestExportOFXReimports exports every sandbox account (bank and card
// statements) as OFX and reads it back with the statement import's
// parser: the same transactions, ids as FITIDs, and the balance.
func TestExportOFXReimports(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "roundtrip@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		accounts, err := c.Accounts(ctx, iswigo.DefaultRange)
		if err != nil {
			t.Fatal(err)
		}
		types := map[string]bool{}
		for _, a := range accounts {
			want := allTransactions(t, c, a.AccountID, "", "")
			r, err := c.ExportTransactions(ctx, a.AccountID, api.ExportOFX, "", "")
			if err != nil {
				t.Fatalf("%s: export: %v", a.AccountID, err)
			}
			body, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			res, err := parse.Parse(body, parse.Options{})
			if err != nil {
				t.Fatalf("account %s (%s): the OFX export does not re-import: %v", a.AccountID, a.Type, err)
			}
			if res.Format != parse.OFX || len(res.Accounts) != 1 {
				t.Fatalf("account %s: read as %s with %d accounts", a.AccountID, res.Format, len(res.Accounts))
			}
			got := res.Accounts[0]
			types[got.Type] = true
			if got.Currency != a.Currency || len(got.Transactions) != len(want) {
				t.Fatalf("account %s: %s, %d transactions; want %s, %d", a.AccountID, got.Currency, len(got.Transactions), a.Currency, len(want))
			}
			if (got.Balance == nil) != (a.Balance == nil) || (got.Balance != nil && got.Balance.Minor != a.Balance.Minor) {
				t.Errorf("account %s: balance %v, want %v", a.AccountID, got.Balance, a.Balance)
			}
			for i, tx := range want {
				g := got.Transactions[i]
				if g.ProviderID != tx.TransactionID || g.Date != tx.OperationDate || g.ValueDate != tx.ValueDate ||
					g.Amount.Minor != tx.Amount.Minor || g.Wording != tx.Wording || g.Text != strOrEmpty(tx.Text) ||
					g.CheckNumber != strOrEmpty(tx.CheckNumber) {
					t.Fatalf("account %s, transaction %d: re-imported as %+v, want %+v", a.AccountID, i, g, tx)
				}
			}
		}
		_, other := e.user(t, e.psd2, "other@example.com")
		if _, err := other.ExportTransactions(ctx, accounts[0].AccountID, api.ExportCSV, "", ""); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Errorf("another user's export: %v, want ENOTFOUND", err)
		}
		if !types[iswigo.AccountTypeChecking] || !types[iswigo.AccountTypeCard] {
			t.Errorf("re-imported account types %v: want both a bank and a card statement", types)
		}
	})
}
