// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"github.com/iswigo/iswigo"
)

// Bank and branch codes of the sandbox banks' BBANs.
const (
	bankCode   = "11111"
	branchCode = "22222"
)

// ledger is one account and its history.
type ledger struct {
	account iswigo.ConnectorAccount
	// opening is the balance at the end of the day before the history
	// starts, in cents: account.Balance = opening + the sum of txs.
	opening int64
	sum     int64
	txs     []iswigo.ConnectorTransaction
}

// bankData is what a sandbox bank returns for one login and one history
// window, accounts in the order they are put (a parent before its card).
type bankData struct {
	profile                        *profile
	checking, card, savings, loans *ledger
}

func (b *bankData) ledgers() []*ledger { return []*ledger{b.checking, b.card, b.savings, b.loans} }

// generator builds bankData. Every transaction is a pure function of the
// seed, the account and its day; the window [start, today] only filters
// them: an operation is returned when it happened on or after start and
// its value date is today or earlier.
type generator struct {
	bankData
	start, today day
	// firstLoanMonth is the month of the first installment in the window.
	firstLoanMonth int
	cardTotals     map[int]int64 // by month number, memoized
	discard        iswigo.ConnectorTransaction
}

// generateBank returns the accounts and transactions of login for the
// history from start to today, both included.
func generateBank(login string, start, today day) *bankData {
	p := newProfile(login)
	g := &generator{bankData: bankData{profile: p}, start: start, today: today, cardTotals: map[int]int64{}}
	days := max(int(today-start)+1, 0)

	g.checking = &ledger{opening: p.openingChecking, account: iswigo.ConnectorAccount{
		Key:    "CHK" + p.checkingNumber,
		Type:   iswigo.AccountTypeChecking,
		Name:   "Compte Chèque " + displayNumber(p.checkingNumber),
		Number: p.checkingNumber,
		BBAN:   bankCode + branchCode + p.checkingNumber,
		IBAN:   frenchIBAN(bankCode, branchCode, p.checkingNumber),
	}}
	perDay := 2
	if p.bulk {
		perDay = 30
	}
	g.checking.txs = make([]iswigo.ConnectorTransaction, 0, days*perDay)

	// The card's balance is what it spent this month and is not debited
	// yet; at the start, what it spent in the month of the day before.
	g.card = &ledger{account: iswigo.ConnectorAccount{
		Key:       "CARD" + p.cardDigits,
		ParentKey: g.checking.account.Key,
		Type:      iswigo.AccountTypeDeferredCreditCard,
		Name:      "Carte Differe",
		Number:    "xxxxxxxxxx" + p.cardDigits,
	}}
	for d := monthStart((start - 1).month()); d < start; d++ {
		g.cardOps(d, func(_ int, _ merchant, amount int64) { g.card.opening -= amount })
	}

	g.savings = &ledger{opening: p.openingSavings, account: iswigo.ConnectorAccount{
		Key:    "LIVA" + p.savingsNumber,
		Type:   iswigo.AccountTypeSavings,
		Name:   "Livret A",
		Number: p.savingsNumber,
		BBAN:   bankCode + branchCode + p.savingsNumber,
		IBAN:   frenchIBAN(bankCode, branchCode, p.savingsNumber),
	}}

	g.loans = &ledger{opening: -p.installment * int64(p.loanTerm-p.loanAge), account: iswigo.ConnectorAccount{
		Key:    "PRET" + p.loanNumber,
		Type:   iswigo.AccountTypeLoan,
		Name:   "Prêt Immobilier",
		Number: p.loanNumber,
	}}
	g.firstLoanMonth = start.month()
	if y, m, _ := start.civil(); businessDayOnOrAfter(y, m, 10) < start {
		g.firstLoanMonth++
	}

	for d := start; d <= today; d++ {
		g.checkingDay(d)
		g.cardDay(d)
		g.savingsDay(d)
		g.loanDay(d)
	}
	for _, l := range g.ledgers() {
		l.account.Currency = "EUR"
		balance := eur(l.opening + l.sum)
		l.account.Balance = &balance
	}
	return &g.bankData
}

// add appends a transaction of amount cents made on op and valued lag days
// later, and returns it for the caller to complete. A transaction outside
// the window is not kept (the returned one is scratch).
func (g *generator) add(l *ledger, op day, lag int, amount int64, wording string) *iswigo.ConnectorTransaction {
	if op < g.start || op+day(lag) > g.today {
		g.discard = iswigo.ConnectorTransaction{}
		return &g.discard
	}
	l.sum += amount
	l.txs = append(l.txs, iswigo.ConnectorTransaction{
		OperationDate: op.date(),
		ValueDate:     (op + day(lag)).date(),
		Amount:        eur(amount),
		Wording:       wording,
	})
	return &l.txs[len(l.txs)-1]
}
