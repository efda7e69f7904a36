// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"strconv"
	"time"
)

// cardOps calls f for each operation of the deferred card on day d (cents,
// positive).
func (g *generator) cardOps(d day, f func(i int, shop merchant, amount int64)) {
	r := stream(g.profile.seed, topicCard, int(d))
	n := 0
	if r.chance(1, 4) {
		n = 1
		if r.chance(1, 6) {
			n = 2
		}
	}
	for i := range n {
		shop := deferredMerchants[r.intn(len(deferredMerchants))]
		f(i, shop, r.between(shop.min, shop.max))
	}
}

// cardMonthTotal returns what the deferred card spent in month mn (cents,
// positive), all days of the month, in the window or not.
func (g *generator) cardMonthTotal(mn int) int64 {
	if total, ok := g.cardTotals[mn]; ok {
		return total
	}
	var total int64
	for d := monthStart(mn); d < monthStart(mn+1); d++ {
		g.cardOps(d, func(_ int, _ merchant, amount int64) { total += amount })
	}
	g.cardTotals[mn] = total
	return total
}

// cardDay adds the deferred card's operations of day d, debited on the
// first day of the next month (their CCOrderMonth), and on the first day of
// a month the debit of last month's operations, which brings the card's
// balance back to zero. All carry a provider id.
func (g *generator) cardDay(d day) {
	p, c := g.profile, g.card
	_, _, dd := d.civil()
	mn := d.month()
	if dd == 1 {
		if total := g.cardMonthTotal(mn - 1); total != 0 {
			t := g.add(c, d, 0, total, "PRLV CARTE DIFFERE "+monthLabel(mn-1))
			t.ProviderID = p.cardDigits + "-" + monthKey(mn-1) + "-DEBIT"
			t.CCOrderMonth = d.date()
		}
	}
	order := monthStart(mn + 1).date()
	g.cardOps(d, func(i int, shop merchant, amount int64) {
		t := g.add(c, d, 0, -amount, "CARTE "+d.ddmm()+" "+shop.name)
		t.ProviderID = p.cardDigits + "-" + d.date().String() + "-" + strconv.Itoa(i+1)
		t.CCOrderMonth = order
	})
}

// savingsTransfer returns the amount (cents, positive) and day of the
// month's transfer from the checking account to the Livret A, if any:
// every third month, just after the salary, 60 to 100% of three months'
// savings.
func (g *generator) savingsTransfer(y int, m time.Month) (int64, day) {
	mn := monthNumber(y, m)
	r := stream(g.profile.seed, topicSavings, mn)
	amount := g.profile.savings * 3 * r.between(60, 100) / 100 / 5000 * 5000 // whole 50 €
	if (uint64(mn)+g.profile.seed)%3 != 0 || amount == 0 {
		return 0, -1 << 40
	}
	return amount, businessDayOnOrAfter(y, m, 28)
}

// savingsDay adds the Livret A's operations of day d: transfers in, and
// the year's interest on December 31st.
func (g *generator) savingsDay(d day) {
	y, m, dd := d.civil()
	if amount, on := g.savingsTransfer(y, m); d == on {
		g.add(g.savings, d, 0, amount, "VIR LIVRET A")
	}
	if m == time.December && dd == 31 {
		g.add(g.savings, d, 0, g.profile.interest, "INTERETS "+strconv.Itoa(y))
	}
}

// loanPaid reports whether the loan has an installment in month mn (it
// ends after loanTerm installments).
func (g *generator) loanPaid(mn int) bool {
	return g.profile.loanAge+mn-g.firstLoanMonth < g.profile.loanTerm
}

// loanDay adds the loan's repayment of day d, the counterpart of the
// checking account's "ECHEANCE PRET".
func (g *generator) loanDay(d day) {
	y, m, _ := d.civil()
	mn := monthNumber(y, m)
	if d == businessDayOnOrAfter(y, m, 10) && g.loanPaid(mn) {
		t := g.add(g.loans, d, 0, g.profile.installment, "ECHEANCE PRET "+monthLabel(mn))
		t.ProviderID = "PRET" + g.profile.loanNumber + "-" + monthKey(mn)
	}
}
