// SPDX-License-Identifier: Apache-2.0

package statement

import (
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/statement/parse"
)

func eur(minor int64) *iswigo.Money { return &iswigo.Money{Minor: minor, Currency: "EUR"} }

// TestStateKeepsTheLatestBalance: an older statement uploaded after a
// newer one does not overwrite its balance; a newer one does.
func TestStateKeepsTheLatestBalance(t *testing.T) {
	st, _ := loadState(nil)
	feb := &parse.Account{Key: "FR76", IBAN: "FR7630006000011234567890189", Currency: "EUR", Balance: eur(20000), BalanceDate: iswigo.NewDate(2026, 2, 28)}
	jan := &parse.Account{Key: "FR76", Currency: "EUR", Balance: eur(10000), BalanceDate: iswigo.NewDate(2026, 1, 31)}
	mar := &parse.Account{Key: "FR76", Currency: "EUR", Balance: eur(30000),
		Transactions: []parse.Transaction{{Date: iswigo.NewDate(2026, 3, 10)}, {Date: iswigo.NewDate(2026, 3, 2)}}}
	none := &parse.Account{Key: "FR76", Currency: "EUR"}
	for i, tc := range []struct {
		a    *parse.Account
		want int64
	}{{feb, 20000}, {jan, 20000}, {none, 20000}, {mar, 30000}, {feb, 30000}} {
		got := st.merge("FR76", tc.a)
		if got.Balance == nil || got.Balance.Minor != tc.want || got.Balance.Currency != "EUR" {
			t.Fatalf("step %d: balance %v, want %d", i, got.Balance, tc.want)
		}
		if got.Name != "Account …0189" || got.IBAN != feb.IBAN || got.Type != iswigo.AccountTypeChecking {
			t.Fatalf("step %d: account %+v", i, got)
		}
	}
	// The state survives a round trip (it is what the next sync reads).
	b, err := jsonOf(st)
	if err != nil {
		t.Fatal(err)
	}
	back, err := loadState(b)
	if err != nil || back.Accounts["FR76"].BalanceDate != iswigo.NewDate(2026, 3, 10) || *back.Accounts["FR76"].Balance != 30000 {
		t.Fatalf("state after a round trip = %+v, %v", back.Accounts["FR76"], err)
	}
	if _, err := loadState([]byte("{")); err == nil {
		t.Fatal("a corrupt state loaded")
	}
}
