// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"strconv"
	"time"
)

// checkingDay adds the checking account's operations of day d. They carry
// no provider id: ingest fingerprints them.
func (g *generator) checkingDay(d day) {
	p, c := g.profile, g.checking
	y, m, dd := d.civil()
	mn := monthNumber(y, m)

	// Monthly income and debits.
	if d == businessDayOnOrBefore(y, m, 27) {
		r := stream(p.seed, topicSalary, mn)
		g.add(c, d, 0, p.salary+r.between(-5000, 15000), "VIR SEPA SALAIRE "+p.employer).Text = "SALAIRE " + monthLabel(mn)
	}
	if d == businessDayOnOrAfter(y, m, 2) {
		g.add(c, d, 0, -200, "FRAIS TENUE DE COMPTE")
	}
	if d == businessDayOnOrAfter(y, m, 5) {
		g.add(c, d, 0, -p.rent, "PRLV SEPA "+p.landlord).Text = "LOYER " + monthLabel(mn)
	}
	if d == businessDayOnOrAfter(y, m, 10) && g.loanPaid(mn) {
		g.add(c, d, 0, -p.installment, "ECHEANCE PRET "+p.loanNumber)
	}
	if d == businessDayOnOrAfter(y, m, p.energyDay) {
		g.add(c, d, 0, -p.energy, "PRLV SEPA EDF").Text = "MENSUALISATION ELECTRICITE"
	}
	if d == businessDayOnOrAfter(y, m, p.telecomDay) {
		g.add(c, d, 0, -p.telecomFee, "PRLV SEPA "+p.telecom)
	}
	if d == businessDayOnOrAfter(y, m, p.insuranceDay) {
		g.add(c, d, 0, -p.insurance, "PRLV SEPA "+p.insurer).Text = "ASSURANCE HABITATION"
	}
	if m == p.cardFeeMonth && d == businessDayOnOrAfter(y, m, 8) {
		g.add(c, d, 0, -p.cardFee, "COTISATION CARTE")
	}
	if dd == 1 {
		// The deferred card's operations of last month, debited at once.
		if total := g.cardMonthTotal(mn - 1); total != 0 {
			g.add(c, d, 0, -total, "PRLV CARTE DIFFERE "+monthLabel(mn-1))
		}
	}
	if amount, on := g.savingsTransfer(y, m); d == on {
		g.add(c, d, 0, -amount, "VIR VERS LIVRET A")
	}
	if n, on, amount := g.cheque(y, m); d == on {
		g.add(c, d, 1, -amount, "Cheque n"+n).CheckNumber = n
	}

	// Everyday life.
	r := stream(p.seed, topicChecking, int(d))
	wd := d.weekday()
	var purchases int
	switch wd {
	case time.Saturday:
		purchases = 1 + r.intn(3)
	case time.Sunday:
		purchases = r.intn(2)
	default:
		purchases = r.intn(3)
	}
	for range purchases {
		shop := everydayMerchants[r.intn(len(everydayMerchants))]
		amount, lag := r.between(shop.min, shop.max), r.intn(3)
		g.add(c, d, lag, -amount, "CARTE "+d.ddmm()+" "+shop.name)
	}
	if wd != time.Saturday && wd != time.Sunday && r.chance(1, 5) {
		// Two identical coffees: the same day, wording and amount.
		g.add(c, d, 1, -p.coffee, "CARTE "+d.ddmm()+" "+p.cafe)
		g.add(c, d, 1, -p.coffee, "CARTE "+d.ddmm()+" "+p.cafe)
	}
	if wd != time.Sunday && r.chance(1, 10) {
		g.add(c, d, r.intn(2), -r.between(2, 10)*1000, "RETRAIT DAB "+d.ddmm()+" "+p.atmPlace)
	}
	if r.chance(1, 25) {
		g.add(c, d, 0, r.between(1000, 9000), "VIR SEPA "+r.pick(payers))
	}
	if p.bulk {
		g.bulkDay(d)
	}
}

// bulkDay adds the 26 extra operations a day of a "bulk" login: about
// 10,000 a year, for benchmarks. They roughly cancel out.
func (g *generator) bulkDay(d day) {
	r := stream(g.profile.seed, topicBulk, int(d))
	for range 26 {
		if r.chance(1, 3) {
			g.add(g.checking, d, 0, r.between(500, 2400), "VIR INST "+r.pick(payers))
			continue
		}
		shop := bulkMerchants[r.intn(len(bulkMerchants))]
		g.add(g.checking, d, r.intn(2), -r.between(shop.min, shop.max), "CARTE "+d.ddmm()+" "+shop.name)
	}
}

// cheque returns the number, day and amount (cents, positive) of the
// month's cheque. Cheques are numbered in sequence, one a month, from
// 9990001 in January 2020.
func (g *generator) cheque(y int, m time.Month) (string, day, int64) {
	mn := monthNumber(y, m)
	seq := ((mn-monthNumber(2020, time.January))%9999+9999)%9999 + 1
	r := stream(g.profile.seed, topicCheque, mn)
	on := businessDayOnOrAfter(y, m, 3+r.intn(24))
	return strconv.Itoa(9990000 + seq), on, r.between(250, 1800) * 10
}
