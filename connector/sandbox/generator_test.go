// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

var (
	testToday = dayOf(iswigo.NewDate(2026, time.March, 15))
	testStart = testToday - historyDays
)

// TestBalances: every account's balance is its opening balance plus its
// transactions; the card's is this month's operations, the loan's negative.
func TestBalances(t *testing.T) {
	for i := range 40 {
		login := fmt.Sprintf("user%03d", i)
		// Windows starting on any day of the month, the first included.
		start := testStart - day(i)
		b := generateBank(login, start, testToday)
		for _, l := range b.ledgers() {
			sum := l.opening
			for _, tx := range l.txs {
				sum += tx.Amount.Minor
			}
			if l.account.Balance.Minor != sum || l.account.Balance.Currency != "EUR" {
				t.Errorf("%s %s: balance %s, opening + transactions = %d cents", login, l.account.Name, l.account.Balance, sum)
			}
		}
		var month int64
		for _, tx := range b.card.txs {
			if dayOf(tx.OperationDate) >= monthStart(testToday.month()) && tx.Amount.Minor < 0 {
				month += tx.Amount.Minor
			}
		}
		if b.card.account.Balance.Minor != month {
			t.Errorf("%s: card balance %s, want this month's operations %d", login, b.card.account.Balance, month)
		}
		if b.loans.account.Balance.Minor >= 0 || b.savings.account.Balance.Minor <= 0 {
			t.Errorf("%s: loan %s, savings %s", login, b.loans.account.Balance, b.savings.account.Balance)
		}
	}
}

// TestCheckingStaysPositive: the checking account's balance, day by day
// in value date order, stays positive for ordinary logins.
func TestCheckingStaysPositive(t *testing.T) {
	worst := int64(1) << 62
	for i := range 300 {
		login := fmt.Sprintf("customer-%d", i)
		b := generateBank(login, testStart, testToday)
		txs := append([]iswigo.ConnectorTransaction(nil), b.checking.txs...)
		sort.SliceStable(txs, func(i, j int) bool { return txs[i].ValueDate.Before(txs[j].ValueDate) })
		balance := b.checking.opening
		for _, tx := range txs {
			balance += tx.Amount.Minor
			worst = min(worst, balance)
			if balance < 0 {
				t.Errorf("%s: checking balance %d cents on %s", login, balance, tx.ValueDate)
				break
			}
		}
	}
	t.Logf("lowest checking balance over 300 logins: %s EUR", eur(worst))
}

// TestCardDebit: the checking account's monthly card debit equals the
// card's operations of the month before, which are ordered for that day.
func TestCardDebit(t *testing.T) {
	b := generateBank("123456789", testStart, testToday)
	ops := map[string]int64{} // by CCOrderMonth
	for _, tx := range b.card.txs {
		if tx.Amount.Minor < 0 {
			op := tx.OperationDate.Time()
			if want := time.Date(op.Year(), op.Month()+1, 1, 0, 0, 0, 0, time.UTC); !tx.CCOrderMonth.Time().Equal(want) {
				t.Errorf("card operation of %s: cc order month %s", tx.OperationDate, tx.CCOrderMonth)
			}
			ops[tx.CCOrderMonth.String()] += tx.Amount.Minor
		}
	}
	debits := 0
	for _, tx := range b.checking.txs {
		if !strings.HasPrefix(tx.Wording, "PRLV CARTE DIFFERE") {
			continue
		}
		debits++
		if tx.OperationDate.Time().Day() != 1 {
			t.Errorf("card debit on %s", tx.OperationDate)
		}
		// The first debit also covers operations before the history.
		if total := ops[tx.OperationDate.String()]; tx.Amount.Minor != total && debits > 1 {
			t.Errorf("card debit of %s: %s, operations %d", tx.OperationDate, tx.Amount, total)
		}
	}
	if debits != 12 {
		t.Errorf("%d card debits, want 12", debits)
	}
}

// TestDeterminism: each day's transactions do not depend on the window.
func TestDeterminism(t *testing.T) {
	long := generateBank("someone", testStart, testToday)
	short := generateBank("someone", testStart+100, testToday-50)
	in := map[string]int{}
	for _, tx := range long.checking.txs {
		in[fmt.Sprintf("%+v", tx)]++
	}
	for _, tx := range short.checking.txs {
		if in[fmt.Sprintf("%+v", tx)] == 0 {
			t.Fatalf("%+v of a shorter window is not in the longer one", tx)
		}
	}
}

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		login    string
		min, max int
	}{
		{"123456789", 300, 700},
		{"bulk-benchmark", 9500, 11000},
	} {
		b := generateBank(tc.login, testStart, testToday)
		if n := len(b.checking.txs); n < tc.min || n > tc.max {
			t.Errorf("%s: %d checking transactions, want %d–%d", tc.login, n, tc.min, tc.max)
		}
		t.Logf("%s: checking %d, card %d, savings %d, loan %d transactions", tc.login,
			len(b.checking.txs), len(b.card.txs), len(b.savings.txs), len(b.loans.txs))
	}
}

func TestFrenchIBAN(t *testing.T) {
	// A published example: bank 30006, branch 00001, account 12345678901.
	if got := frenchIBAN("30006", "00001", "12345678901"); got != "FR7630006000011234567890189" {
		t.Errorf("frenchIBAN = %s", got)
	}
	if got := ibanCheckDigits("DE", "370400440532013000"); got != "89" { // DE89370400440532013000
		t.Errorf("DE check digits = %s", got)
	}
}

func TestFormatCents(t *testing.T) {
	for cents, want := range map[int64]string{0: "0,00", 5: "0,05", 123456: "1 234,56", -100000000: "-1 000 000,00", 99999: "999,99"} {
		if got := formatCents(cents); got != want {
			t.Errorf("formatCents(%d) = %q, want %q", cents, got, want)
		}
	}
}
