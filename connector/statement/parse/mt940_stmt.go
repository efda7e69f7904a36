// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// mt940Stmt is one statement read from its fields.
type mt940Stmt struct {
	acct  *Account
	kind  string // "mt940" or "mt942"
	order string // date of the closing balance, for merging
}

// mt940Pending is a :61: line waiting for its :86: and the currency.
type mt940Pending struct {
	f    mt940Field
	line mt940Line
	info []string // the values of the :86: fields after it
}

var (
	mt940Balance = regexp.MustCompile(`^([CD])([0-9]{6})([A-Z]{3})([0-9]+(?:[,.][0-9]*)?)$`)
	// :34F: floor limit: currency, optional mark, amount.
	mt940Floor = regexp.MustCompile(`^([A-Z]{3})[CD]?[0-9]+(?:[,.][0-9]*)?$`)
	// :90D:/:90C: number of entries, currency, sum.
	mt940Sum = regexp.MustCompile(`^[0-9]{1,5}([A-Z]{3})[0-9]+(?:[,.][0-9]*)?$`)
	ibanForm = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$`)
)

func mt940Statement(fs []mt940Field, mt942Block bool) (*mt940Stmt, error) {
	st := &mt940Stmt{kind: "mt940"}
	if mt942Block {
		st.kind = "mt942"
	}
	var (
		currency, ccyFrom string
		acctField         *mt940Field
		closing           *mt940Field
		pending           []*mt940Pending
		last              *mt940Pending // the :61: a following :86: describes
	)
	setCurrency := func(f mt940Field, ccy string) error {
		switch {
		case currency == "":
			currency, ccyFrom = ccy, ":"+f.tag+":"
		case ccy != currency:
			return &Error{Format: MT940, Line: f.line, Reason: fmt.Sprintf("field :%s: is in %s but %s is in %s: one statement, one currency", f.tag, ccy, ccyFrom, currency)}
		}
		return nil
	}
	for i := range fs {
		f := fs[i]
		v := strings.TrimSpace(f.value)
		if f.tag != "86" && f.tag != "NS" { // :NS: (bank-proprietary) may sit between :61: and :86:
			last = nil
		}
		switch f.tag {
		case "25":
			switch {
			case acctField != nil:
				return nil, &Error{Format: MT940, Line: f.line, Reason: fmt.Sprintf("a second account field :25: in the statement of line %d", fs[0].line)}
			case strings.Contains(v, "\n"):
				return nil, &Error{Format: MT940, Line: f.line, Reason: "the account field :25: spans several lines"}
			}
			acctField = &fs[i]
		case "60F", "60M", "62F", "62M", "64", "65":
			m := mt940Balance.FindStringSubmatch(strings.ReplaceAll(v, " ", ""))
			if m == nil {
				return nil, &Error{Format: MT940, Line: f.line, Reason: fmt.Sprintf("balance :%s:%s is not C|D, YYMMDD, currency, amount", f.tag, clip(v, 40))}
			}
			if _, ok := mt940Date(m[2]); !ok {
				return nil, &Error{Format: MT940, Line: f.line, Reason: fmt.Sprintf("balance :%s: has an invalid date %q (YYMMDD)", f.tag, m[2])}
			}
			if err := setCurrency(f, m[3]); err != nil {
				return nil, err
			}
			if f.tag == "62F" || f.tag == "62M" {
				closing = &fs[i]
			}
		case "34F":
			st.kind = "mt942"
			m := mt940Floor.FindStringSubmatch(v)
			if m == nil {
				return nil, &Error{Format: MT940, Line: f.line, Reason: fmt.Sprintf("floor limit :34F:%s is not currency, [C|D], amount", clip(v, 40))}
			}
			if err := setCurrency(f, m[1]); err != nil {
				return nil, err
			}
		case "90D", "90C":
			st.kind = "mt942"
			m := mt940Sum.FindStringSubmatch(v)
			if m == nil {
				return nil, &Error{Format: MT940, Line: f.line, Reason: fmt.Sprintf(":%s:%s is not number, currency, amount", f.tag, clip(v, 40))}
			}
			if err := setCurrency(f, m[1]); err != nil {
				return nil, err
			}
		case "13D":
			st.kind = "mt942"
		case "61":
			l, reason := parseMT940Line(f.value)
			if reason != "" {
				return nil, &Error{Format: MT940, Line: f.line, Reason: ":61: " + reason}
			}
			p := &mt940Pending{f: f, line: l}
			pending = append(pending, p)
			last = p
		case "86":
			if last != nil { // several :86: (Rabobank) describe one :61: together
				last.info = append(last.info, fs[i].value)
			}
		}
	}
	if acctField == nil {
		return nil, &Error{Format: MT940, Line: fs[0].line, Reason: "statement without an account (:25:)"}
	}
	if currency == "" {
		return nil, &Error{Format: MT940, Line: fs[0].line, Reason: "statement without a currency: no balance (:60F:/:62F:) or, for MT942, :34F:"}
	}
	if st.kind == "mt940" && closing == nil {
		return nil, &Error{Format: MT940, Line: fs[len(fs)-1].line, Reason: "statement without a closing balance (:62F:): truncated file?"}
	}
	acct, reason := mt940Account(strings.TrimSpace(acctField.value))
	if reason != "" {
		return nil, &Error{Format: MT940, Line: acctField.line, Reason: reason}
	}
	acct.Currency = currency
	if closing != nil {
		m := mt940Balance.FindStringSubmatch(strings.ReplaceAll(strings.TrimSpace(closing.value), " ", ""))
		amt, reason := exactAmount(m[4], currency)
		if reason != "" {
			return nil, &Error{Format: MT940, Line: closing.line, Reason: ":" + closing.tag + ": " + reason}
		}
		if m[1] == "D" {
			amt.Minor = -amt.Minor
		}
		d, _ := mt940Date(m[2])
		acct.Balance, acct.BalanceDate = &amt, d
		st.order = d.String()
	}
	for _, p := range pending {
		t, err := p.transaction(currency)
		if err != nil {
			return nil, err
		}
		acct.Transactions = append(acct.Transactions, t)
	}
	st.acct = acct
	return st, nil
}

// mt940Account reads :25:.
func mt940Account(v string) (*Account, string) {
	if v == "" {
		return nil, "empty account field :25:"
	}
	a := &Account{Type: iswigo.AccountTypeChecking, Key: v, Number: v}
	compact := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	bank, num, hasSlash := strings.Cut(compact, "/")
	if !hasSlash {
		bank, num = "", compact
	}
	if len(num) > 3 && validCurrency(num[len(num)-3:]) && ibanForm.MatchString(num[:len(num)-3]) {
		num = num[:len(num)-3] // "DE89…3000EUR"
	}
	switch {
	case ibanForm.MatchString(num) && ibanChecksum(num):
		a.IBAN, a.Key, a.Number, a.BankID = num, num, "", bank
	case hasSlash:
		a.BankID, a.Number = bank, num
	}
	return a, ""
}

// ibanChecksum verifies the ISO 13616 mod-97 check digits.
func ibanChecksum(iban string) bool {
	s := iban[4:] + iban[:4]
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// mt940Date reads YYMMDD; years 00–79 are 20YY, 80–99 19YY.
func mt940Date(v string) (iswigo.Date, bool) {
	if len(v) != 6 || !allDigits(v) {
		return iswigo.Date{}, false
	}
	y := int(v[0]-'0')*10 + int(v[1]-'0')
	if y < 80 {
		y += 2000
	} else {
		y += 1900
	}
	return civilDate(y, digitsInt(v[2:4]), digitsInt(v[4:6]))
}

// mt940EntryDate reads the MMDD entry date of a :61: line near its value
// date: of the same, previous or next year, the date closest to the value
// date (an entry on 0102 of a 251231 value date is in 2026).
func mt940EntryDate(mmdd string, value iswigo.Date) (iswigo.Date, bool) {
	y := value.Time().Year()
	var best iswigo.Date
	bestGap := time.Duration(-1)
	for _, yy := range []int{y - 1, y, y + 1} {
		d, ok := civilDate(yy, digitsInt(mmdd[:2]), digitsInt(mmdd[2:]))
		if !ok {
			continue // 0229 of a common year
		}
		gap := d.Time().Sub(value.Time()).Abs()
		if bestGap < 0 || gap < bestGap {
			best, bestGap = d, gap
		}
	}
	return best, bestGap >= 0
}

// transaction converts a :61: line and its :86: in the statement currency.
func (p *mt940Pending) transaction(currency string) (Transaction, error) {
	l := p.line
	amt, reason := exactAmount(l.amount, currency)
	if reason != "" {
		return Transaction{}, &Error{Format: MT940, Line: p.f.line, Reason: ":61: " + reason}
	}
	if l.mark == "D" || l.mark == "RC" {
		amt.Minor = -amt.Minor
	}
	t := Transaction{Date: l.entry, ValueDate: l.value, Amount: amt}
	if t.Date.IsZero() {
		t.Date = l.value
	}
	if ref := strings.TrimSpace(l.bankRef); ref != "" && !strings.EqualFold(ref, "NONREF") {
		t.ProviderID = ref
	}
	if p.info != nil {
		info := parseMT940Info(strings.Join(p.info, "\n"))
		t.Wording, t.Text = info.wording, info.text
	}
	if t.Wording == "" {
		t.Wording = oneLine(l.details)
	} else if l.details != "" {
		t.Text = joinNonEmpty(" ", t.Text, oneLine(l.details))
	}
	if t.Wording == "" && !strings.EqualFold(l.custRef, "NONREF") {
		t.Wording = l.custRef
	}
	if t.Wording == "" {
		t.Wording = l.txType
	}
	if t.Text == t.Wording {
		t.Text = ""
	}
	return t, nil
}

// mt940Line is a parsed :61: statement line:
//
//	value date YYMMDD, [entry date MMDD], mark C, D, RC (reversal of a
//	credit: money out) or RD (reversal of a debit: money in), [funds code
//	letter], amount with a decimal comma, transaction type (N, F or S and
//	three characters), customer reference up to "//", [bank reference],
//	[supplementary details on the next line].
type mt940Line struct {
	value, entry     iswigo.Date
	mark             string
	amount           string
	txType           string
	custRef, bankRef string
	details          string
}

// mt940LineForm is the :61: first line. Beyond SWIFT's rules it accepts
// what banks write: four spaces for a missing entry date (ASN, Citi) and
// transaction types that are not N, F or S, or hold spaces.
var mt940LineForm = regexp.MustCompile(`^([0-9]{6})([0-9]{4}|    )?(RC|RD|C|D)([A-Z])?([0-9]+(?:[,.][0-9]*)?)([A-Z][A-Z0-9 ]{3})(.*)$`)

// parseMT940Line reads the value of a :61: field; it returns a reason on
// failure.
func parseMT940Line(v string) (mt940Line, string) {
	first, rest, _ := strings.Cut(v, "\n")
	first = strings.TrimSpace(first)
	m := mt940LineForm.FindStringSubmatch(first)
	if m == nil {
		return mt940Line{}, fmt.Sprintf("%q is not YYMMDD[MMDD]C|D|RC|RD[funds code]amount type reference", clip(first, 40))
	}
	var l mt940Line
	var ok bool
	if l.value, ok = mt940Date(m[1]); !ok {
		return l, fmt.Sprintf("invalid value date %q (YYMMDD)", m[1])
	}
	if strings.TrimSpace(m[2]) != "" {
		if l.entry, ok = mt940EntryDate(m[2], l.value); !ok {
			return l, fmt.Sprintf("invalid entry date %q (MMDD)", m[2])
		}
	}
	l.mark, l.amount, l.txType = m[3], m[5], m[6]
	refs := m[7]
	if i := strings.Index(refs, "//"); i >= 0 {
		l.custRef, l.bankRef = strings.TrimSpace(refs[:i]), strings.TrimSpace(refs[i+2:])
	} else {
		l.custRef = strings.TrimSpace(refs)
	}
	l.details = strings.TrimSpace(rest)
	return l, ""
}
