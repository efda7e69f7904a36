package parse

import (
	"strings"

	"github.com/iswigo/iswigo"
)

// Many exports without a balance column state the closing balance on a
// line of their own, before the header ("Kontostand vom 31.01.2026:";
// "1.523,40 EUR") or after the rows ("Solde au 31/01/2026";;"1 234,56").
// balanceLine reads such a line: its first cell names a closing balance,
// a cell holds the amount (with an S/H mark beside it, or a currency), and
// a date is in the label or a cell. Opening balances are not taken.

// closingBalanceLabels start the first cell of a closing-balance line
// (folded). openingBalanceWords exclude a label.
var (
	closingBalanceLabels = []string{"kontostand", "saldo", "neuer saldo", "endsaldo", "solde", "balance",
		"closing balance", "ending balance", "available balance", "current balance", "neuer kontostand"}
	openingBalanceWords = []string{"alt", "anfang", "opening", "initial", "precedent", "previous", "debut",
		"start", "beginning", "ancien", "vortrag"}
)

// closingBalance is a balance read from a line that is no transaction.
type closingBalance struct {
	amount localAmount
	date   writtenDate
	dated  bool // a date was found
}

// balanceLine reads a closing balance from r, if it is one.
func balanceLine(r csvRecord) (closingBalance, bool) {
	var b closingBalance
	label := -1
	for i, f := range r.fields {
		if strings.TrimSpace(f) != "" {
			label = i
			break
		}
	}
	if label < 0 {
		return b, false
	}
	name := foldAccents(strings.TrimSpace(r.fields[label]))
	known := false
	for _, l := range closingBalanceLabels {
		known = known || strings.HasPrefix(name, l)
	}
	for _, w := range openingBalanceWords {
		known = known && !strings.Contains(name, w)
	}
	if !known {
		return b, false
	}
	for _, word := range strings.Fields(name) {
		if d, ok := scanDate(strings.Trim(word, ":")); ok {
			b.date, b.dated = d, true
		}
	}
	found := false
	for i := label + 1; i < len(r.fields); i++ {
		v := strings.TrimSpace(r.fields[i])
		if v == "" {
			continue
		}
		if d, ok := scanDate(v); ok && !found {
			b.date, b.dated = d, true
			continue
		}
		if s := csvSignOf(v); s != 0 && found {
			b.amount.neg = s < 0
			continue
		}
		if a, reason := localAmountOf(v); reason == "" && a.body != "" && !found {
			b.amount, found = a, true
		}
	}
	return b, found
}

// lineBalance returns the latest closing balance of the lines, in the
// file's date order, decimal separator and currency; it must be dated, and
// not older than the latest transaction (latest: its date).
func lineBalance(lines []csvRecord, order string, sep byte, currency string, latest iswigo.Date) (*iswigo.Money, iswigo.Date) {
	var best *iswigo.Money
	var bestDate iswigo.Date
	for _, r := range lines {
		b, ok := balanceLine(r)
		if !ok || b.amount.code != "" && b.amount.code != currency {
			continue
		}
		m, reason := b.amount.money(sep, currency)
		if reason != "" {
			continue
		}
		if !b.dated {
			continue
		}
		date, reason := b.date.date(order)
		if reason != "" || date.Before(latest) || best != nil && date.Before(bestDate) {
			continue
		}
		best, bestDate = &m, date
	}
	return best, bestDate
}
