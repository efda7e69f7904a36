// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// This file holds what the bank formats (OFX, camt, MT940) share: exact
// amounts, currency codes, and the accounts of a file merged by key.

// exactAmount parses a decimal amount of a bank file — an optional sign,
// digits, and a decimal point or a decimal comma ("-12.50", "+3,5", "-.50",
// "100,", no thousands separators) — into minor units of currency. Digits
// past the currency's decimals are refused unless they are zeros ("12.500"
// EUR is 12.50 exactly; "12.505" is an error): nothing is ever rounded. On
// failure it returns a reason that quotes the amount.
func exactAmount(s, currency string) (iswigo.Money, string) {
	raw := s
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	if strings.Contains(s, ".") && strings.Contains(s, ",") {
		return iswigo.Money{}, fmt.Sprintf("amount %q has both a decimal point and a decimal comma", raw)
	}
	s = strings.Replace(s, ",", ".", 1)
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac != "" {
		intPart = "0"
	}
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return iswigo.Money{}, fmt.Sprintf("amount %q is not a decimal number", raw)
	}
	if t := strings.TrimLeft(intPart, "0"); t != intPart { // MT940 pads: 000000001213,28
		if intPart = t; intPart == "" {
			intPart = "0"
		}
	}
	dec := iswigo.CurrencyDecimals(currency)
	if len(frac) > dec {
		if strings.Trim(frac[dec:], "0") != "" {
			return iswigo.Money{}, fmt.Sprintf("amount %q has more decimals than %s allows (%d): refused, not rounded", raw, currency, dec)
		}
		frac = frac[:dec]
	}
	if len(intPart) > 15 {
		return iswigo.Money{}, fmt.Sprintf("amount %q is too large", raw)
	}
	num := intPart
	if frac != "" {
		num += "." + frac
	}
	m, err := iswigo.ParseAmount(num, currency)
	if err != nil {
		return iswigo.Money{}, fmt.Sprintf("amount %q is not a decimal number", raw)
	}
	if neg {
		m.Minor = -m.Minor
	}
	return m, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validCurrency reports an ISO 4217 form: three ASCII capital letters.
func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// accountSet gathers the statements of a file into accounts by Key, in the
// order accounts first appear. Statements of one account are merged: their
// transactions appended in file order, the balance taken from the latest
// statement. It also refuses an account whose statements disagree on the
// currency.
type accountSet struct {
	list  []*Account
	byKey map[string]*accountState
}

type accountState struct {
	acct *Account
	// balOrder orders the statement the balance came from: an ISO date or
	// date-time string (later sorts greater); "" = unknown, file order.
	balOrder string
}

// add merges statement st into the set and returns the merged account; it
// returns a reason when st's currency contradicts an earlier statement of
// the same account. order is st's position in time (see balOrder).
func (s *accountSet) add(st *Account, order string) (*Account, string) {
	if s.byKey == nil {
		s.byKey = map[string]*accountState{}
	}
	cur, ok := s.byKey[st.Key]
	if !ok {
		s.byKey[st.Key] = &accountState{acct: st, balOrder: order}
		s.list = append(s.list, st)
		return st, ""
	}
	a := cur.acct
	if a.Currency != st.Currency {
		return nil, fmt.Sprintf("account %s is in %s in one statement and %s in another", st.Key, a.Currency, st.Currency)
	}
	a.Transactions = append(a.Transactions, st.Transactions...)
	if st.Balance != nil && (a.Balance == nil || order >= cur.balOrder || order == "") {
		a.Balance, a.BalanceDate, cur.balOrder = st.Balance, st.BalanceDate, order
	}
	if a.Name == "" {
		a.Name = st.Name
	}
	return a, ""
}

// dropAmbiguousIDs clears the ProviderID of transactions of one account
// that share it with a different transaction (another date, amount or
// wording): such a file's ids are not unique, and ingest would otherwise
// merge two real transactions into one. Those transactions fall back to
// fingerprints. Equal transactions with equal ids (overlapping statements
// in one file) keep their id, so ingest stores them once.
func dropAmbiguousIDs(a *Account) {
	// first maps an id to 1 + the index of its first transaction, negated
	// once the id is known to be ambiguous.
	first := make(map[string]int, len(a.Transactions))
	ambiguous := false
	for i := range a.Transactions {
		t := &a.Transactions[i]
		if t.ProviderID == "" {
			continue
		}
		f, ok := first[t.ProviderID]
		if !ok {
			first[t.ProviderID] = i + 1
			continue
		}
		if f < 0 {
			continue
		}
		if o := a.Transactions[f-1]; o.Date != t.Date || o.Amount != t.Amount || o.Wording != t.Wording {
			first[t.ProviderID], ambiguous = -f, true
		}
	}
	if !ambiguous {
		return
	}
	for i := range a.Transactions {
		t := &a.Transactions[i]
		if first[t.ProviderID] < 0 {
			t.ProviderID = ""
		}
	}
}

// civilDate makes the date y-m-d from digits already checked, or reports
// that it is not a real calendar date (2026-02-30) of the years 1900–9999
// (year 1 would be the zero Date, "no date"). It is time.Parse's check
// without its cost.
func civilDate(y, m, d int) (iswigo.Date, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 9999 {
		return iswigo.Date{}, false
	}
	date := iswigo.NewDate(y, time.Month(m), d)
	if t := date.Time(); t.Day() != d || int(t.Month()) != m {
		return iswigo.Date{}, false
	}
	return date, true
}

// digitsInt reads a string of ASCII digits already checked.
func digitsInt(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// joinNonEmpty joins the non-empty, trimmed parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// oneLine folds runs of white space (new lines included) into one space.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}
