// SPDX-License-Identifier: Apache-2.0

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
	openingBalanceWords = []string{"alter", "anfang", "opening", "initial", "precedent", "previous", "debut",
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
	for i := range r.fields {
		if csvCell(r, i) != "" {
			label = i
			break
		}
	}
	if label < 0 {
		return b, false
	}
	name := foldAccents(csvCell(r, label))
	if isBalance, closing := balanceLabel(name); !isBalance || !closing {
		return b, false
	}
	for _, word := range strings.Fields(name) {
		if d, ok := scanDate(strings.Trim(word, ":")); ok {
			b.date, b.dated = d, true
		}
	}
	found := false
	for i := label + 1; i < len(r.fields); i++ {
		v := csvCell(r, i)
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

// balanceLabel tells whether a folded cell names a balance, and whether a
// closing one ("Kontostand vom 31.01.2026", "Ending balance as of …"; not
// "Alter Kontostand", "Beginning balance").
func balanceLabel(name string) (isBalance, closing bool) {
	closing = true
	for _, w := range openingBalanceWords {
		if strings.HasPrefix(name, w) || strings.Contains(name, " "+w) {
			closing = false
		}
	}
	for _, l := range closingBalanceLabels {
		if strings.HasPrefix(name, l) {
			return true, closing
		}
	}
	if !closing { // "Beginning balance as of …", "Alter Kontostand"
		for _, l := range closingBalanceLabels {
			if strings.Contains(name, " "+l) {
				return true, false
			}
		}
	}
	return false, false
}

// balanceRow reports a data row with no amount whose wording names a
// balance (US exports open with "Beginning balance as of 01/01/2026").
func balanceRow(r csvRecord, c *csvColumns) bool {
	for _, i := range []int{c.amount, c.debit, c.credit} {
		if csvCell(r, i) != "" {
			return false
		}
	}
	for _, i := range append(append([]int{}, c.wording...), c.text...) {
		if isBalance, _ := balanceLabel(foldAccents(csvCell(r, i))); isBalance {
			return true
		}
	}
	return false
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
