// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"strings"
	"time"
)

// profile is what a login fixes once and for all: names, numbers and the
// amounts that recur every month (in cents, positive).
type profile struct {
	seed     uint64
	bulk     bool // login starts with "bulk": 26 more operations a day
	customer string

	checkingNumber string // 11 digits
	savingsNumber  string // 11 digits
	loanNumber     string // 11 digits
	cardDigits     string // the 6 visible digits of the deferred card

	employer, landlord, telecom, insurer, cafe, atmPlace string

	salary, rent, installment, energy, telecomFee, insurance, coffee, cardFee, interest int64
	// savings is what the salary leaves in an average month after the
	// usual expenses; most of it goes to the Livret A every third month.
	savings int64

	energyDay, telecomDay, insuranceDay int
	cardFeeMonth                        time.Month

	openingChecking, openingSavings int64
	// loanAge is the number of installments paid before the history
	// starts; loanTerm the number of installments of the loan.
	loanAge, loanTerm int
}

func newProfile(login string) *profile {
	seed := seedOf(login)
	r := rng(seed)
	p := &profile{seed: seed, bulk: strings.HasPrefix(login, "bulk")}
	p.customer = r.pick([]string{"M.", "MME"}) + " " + r.pick(firstNames) + " " + r.pick(lastNames)
	p.checkingNumber = checkingNumber(login, &r)
	p.savingsNumber = "0" + r.digits(10)
	p.loanNumber = "7" + r.digits(10)
	p.cardDigits = r.digits(6)

	p.employer = r.pick(employers)
	p.landlord = r.pick(landlords)
	p.telecom = r.pick(telecoms)
	p.insurer = r.pick(insurers)
	p.cafe = r.pick(cafes)
	p.atmPlace = r.pick(atmPlaces)

	p.salary = r.between(330000, 480000)
	p.rent = p.salary * r.between(12, 20) / 100 / 100 * 100 // whole euros
	p.installment = p.salary * r.between(10, 15) / 100
	p.energy = r.between(55, 120) * 100
	p.telecomFee = []int64{1099, 1599, 1999, 2499, 2999, 3499, 3999}[r.intn(7)]
	p.insurance = r.between(2800, 7200)
	p.coffee = r.between(22, 29) * 10
	p.cardFee = r.between(90, 270) * 50

	// 1,750 € is a little more than what everyday life (cards, cash,
	// cheques, fees) costs a month on average, measured over many logins.
	p.savings = max(0, p.salary-p.rent-p.installment-p.energy-p.telecomFee-p.insurance-p.cardFee/12-175000)

	p.energyDay = 3 + r.intn(20)
	p.telecomDay = 3 + r.intn(20)
	p.insuranceDay = 3 + r.intn(20)
	p.cardFeeMonth = time.Month(1 + r.intn(12))

	// Enough for a savings transfer whenever the history starts.
	p.openingChecking = r.between(200000, 500000) + 3*p.savings
	if p.bulk {
		p.openingChecking += 500000
	}
	p.openingSavings = r.between(200000, 1500000)
	p.interest = p.openingSavings * 2 / 100
	p.loanAge = 24 + r.intn(97)
	p.loanTerm = 240
	return p
}

// checkingNumber returns the 11-digit checking account number: a numeric
// login of 11 digits or fewer, zero-padded (the reference's login
// "123456789" has the account "00123456789"), or else "00" and 9 digits.
func checkingNumber(login string, r *rng) string {
	numeric := login != "" && len(login) <= 11
	for i := 0; i < len(login) && numeric; i++ {
		numeric = login[i] >= '0' && login[i] <= '9'
	}
	if numeric {
		return strings.Repeat("0", 11-len(login)) + login
	}
	return "00" + string(rune('1'+r.intn(9))) + r.digits(8)
}

// displayNumber is the account number without its leading zeros, as
// account names show it ("Compte Chèque 123456789").
func displayNumber(number string) string {
	if s := strings.TrimLeft(number, "0"); s != "" {
		return s
	}
	return "0"
}
