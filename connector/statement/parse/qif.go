// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
)

// QIF (Quicken Interchange Format) is line based: a header line
// "!Type:Bank" opens a section of records of that account type; each
// record is lines of one field letter and its value, ended by a line "^".
// Fields read: D date, T (else U) amount, P payee, M memo, N check number;
// L category, C cleared status, A address and the split lines S, E, $, %
// are tolerated and ignored (a record's amount is its T). "!Account"
// records (N name, T type) name the account the following sections belong
// to, so one file may hold several accounts, keyed by name; "!Option:"
// and "!Clear:" lines are switches without content. Sections of lists
// (!Type:Cat, Class, Memorized, Security, Prices) are skipped; investment
// sections (!Type:Invst) are refused.
//
// QIF names neither currency (Options.Currency, default EUR) nor date
// order: D/M/Y or M/D/Y is Options.DateOrder when given (a date it cannot
// read is an error), else what the file's dates prove (a day above 12),
// else the file is refused.

func init() { parsers[QIF] = parseQIF }

// qifSections maps the types of transaction sections to account types.
var qifSections = map[string]string{
	"bank":  iswigo.AccountTypeChecking,
	"ccard": iswigo.AccountTypeCard,
	"cash":  iswigo.AccountTypeChecking,
	"oth a": iswigo.AccountTypeChecking,
	"oth l": iswigo.AccountTypeLoan,
}

// qifLists are the sections of lists, not transactions: skipped.
var qifLists = map[string]bool{
	"cat": true, "class": true, "memorized": true, "security": true, "prices": true,
	"template": true, "budget": true, "invitem": true,
}

// qifRecord is one transaction record before dates and amounts resolve.
type qifRecord struct {
	account           *Account
	line              int // of its first field
	date              string
	dateLine          int
	amount            string
	amountLine        int
	payee, memo, num  string
	hasDate, hasTotal bool
}

// qifState is the parser's position in a file.
type qifState struct {
	opt      Options
	accounts []*Account
	byName   map[string]*Account
	// headerName is the name of the latest !Account record; inAccount
	// says such a record is open (between its first field and its ^).
	headerName string
	inAccount  bool
	// section is the lower-cased type of the current !Type section,
	// "account" after an !Account header (a list of account records), "list"
	// in a skipped list; "" = none yet.
	section  string
	current  *Account
	rec      *qifRecord
	records  []*qifRecord
	pool     []qifRecord // storage of records, in chunks never grown (records point into them)
	sections []string
}

func parseQIF(data []byte, opt Options) (*Result, error) {
	fail := func(line int, format string, args ...any) error {
		return &Error{Format: QIF, Line: line, Reason: fmt.Sprintf(format, args...)}
	}
	currency, reason := optionCurrency(opt.Currency)
	if reason != "" {
		return nil, fail(0, "%s", reason)
	}
	text, err := toUTF8(data, "")
	if err != nil {
		return nil, fail(0, "%v", err)
	}
	text = bytes.TrimRight(text, "\x1a\x00") // DOS end-of-file marks, padding
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, fail(0, "empty file")
	}
	if looksBinary(text) {
		return nil, fail(0, "not a QIF file (binary data)")
	}
	st := &qifState{opt: opt, byName: map[string]*Account{}}
	s := string(text)
	line := 0
	for len(s) > 0 {
		var l string
		l, s = cutTextLine(s)
		line++
		l = strings.TrimRight(l, " \t")
		if l == "" {
			continue
		}
		if err := st.readLine(l, line); err != nil {
			return nil, err
		}
	}
	if st.rec != nil {
		return nil, fail(st.rec.line, "record not ended by a ^ line (file truncated?)")
	}
	if st.inAccount {
		return nil, fail(line, "!Account record not ended by a ^ line (file truncated?)")
	}
	if len(st.accounts) == 0 {
		return nil, fail(1, "no transaction section (!Type:Bank, !Type:CCard, !Type:Cash, !Type:Oth A or !Type:Oth L)")
	}
	return st.resolve(currency)
}

// cutTextLine returns the first line of s (without its CR LF, LF or CR end)
// and the rest.
func cutTextLine(s string) (line, rest string) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			return s[:i], s[i+1:]
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				return s[:i], s[i+2:]
			}
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

func (st *qifState) readLine(l string, line int) error {
	fail := func(format string, args ...any) error {
		return &Error{Format: QIF, Line: line, Reason: fmt.Sprintf(format, args...)}
	}
	if l[0] == '!' {
		if st.rec != nil {
			return &Error{Format: QIF, Line: st.rec.line, Reason: "record not ended by a ^ line before the next header"}
		}
		head := strings.TrimSpace(l[1:])
		key, value, _ := strings.Cut(head, ":")
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "account":
			if st.inAccount {
				return fail("!Account record not ended by a ^ line")
			}
			st.section = "account"
			return nil
		case "option", "clear":
			return nil
		case "type":
		default:
			return fail("unknown header %q", l)
		}
		if st.inAccount {
			return fail("!Account record not ended by a ^ line")
		}
		t := strings.ToLower(strings.Join(strings.Fields(value), " "))
		switch {
		case qifSections[t] != "":
			st.section = t
			st.current = st.account(t)
			st.sections = append(st.sections, t)
		case t == "invst":
			return fail("investment accounts (!Type:Invst) are not supported: export a bank, credit card or cash account")
		case qifLists[t]:
			st.section = "list"
		default:
			return fail("unknown section type %q", strings.TrimSpace(value))
		}
		return nil
	}
	code, value := l[0], strings.TrimSpace(l[1:])
	switch st.section {
	case "account":
		if !st.inAccount {
			st.inAccount, st.headerName = true, ""
		}
		switch code {
		case 'N':
			st.headerName = value
		case '^':
			st.inAccount = false
		}
		return nil
	case "":
		return fail("line before any !Type header")
	case "list":
		return nil
	}
	if code == '^' {
		if st.rec == nil {
			return nil // an empty record
		}
		r := st.rec
		st.rec = nil
		if !r.hasDate {
			return &Error{Format: QIF, Line: r.line, Reason: "record without a date (D line)"}
		}
		if !r.hasTotal {
			return &Error{Format: QIF, Line: r.line, Reason: "record without an amount (T line)"}
		}
		st.records = append(st.records, r)
		return nil
	}
	if st.rec == nil {
		if len(st.pool) == cap(st.pool) {
			st.pool = make([]qifRecord, 0, 256)
		}
		st.pool = append(st.pool, qifRecord{account: st.current, line: line})
		st.rec = &st.pool[len(st.pool)-1]
	}
	r := st.rec
	switch code {
	case 'D':
		r.date, r.dateLine, r.hasDate = value, line, true
	case 'T':
		r.amount, r.amountLine, r.hasTotal = value, line, true
	case 'U':
		if !r.hasTotal {
			r.amount, r.amountLine, r.hasTotal = value, line, true
		}
	case 'P':
		r.payee = value
	case 'M':
		r.memo = value
	case 'N':
		r.num = value
	}
	return nil
}

// account returns the account the section of type t fills: the latest
// !Account record's, else the file's one account.
func (st *qifState) account(t string) *Account {
	name := st.headerName
	if a := st.byName[name]; a != nil {
		return a
	}
	a := &Account{Key: name, Name: name, Type: qifSections[t]}
	st.byName[name] = a
	st.accounts = append(st.accounts, a)
	return a
}

// resolve decides the date order and decimal separator of the file and
// converts every record.
func (st *qifState) resolve(currency string) (*Result, error) {
	dates := make([]datedLine, len(st.records))
	written := make([]writtenDate, len(st.records))
	amounts := make([]localAmount, len(st.records))
	var dec decimalChooser
	for i, r := range st.records {
		d, ok := scanDate(r.date)
		if !ok {
			return nil, &Error{Format: QIF, Line: r.dateLine, Reason: fmt.Sprintf("%q is not a date", r.date)}
		}
		written[i] = d
		dates[i] = datedLine{d: d, line: r.dateLine, text: r.date}
		a, reason := localAmountOf(r.amount)
		if reason == "" && a.body == "" {
			reason = "empty"
		}
		if reason != "" {
			return nil, &Error{Format: QIF, Line: r.amountLine, Reason: fmt.Sprintf("amount %q: %s", r.amount, reason)}
		}
		if a.code != "" && a.code != currency {
			return nil, &Error{Format: QIF, Line: r.amountLine, Reason: fmt.Sprintf("amount %q is in %s but the account's currency is %s (give ?currency=)", r.amount, a.code, currency)}
		}
		amounts[i] = a
		dec.add(a.body, r.amountLine)
	}
	order, line, reason := dateOrderOf(dates, st.opt.DateOrder)
	if reason != "" {
		return nil, &Error{Format: QIF, Line: line, Reason: reason}
	}
	sep, line, reason := dec.choose("")
	if reason != "" {
		return nil, &Error{Format: QIF, Line: line, Reason: reason}
	}
	count := make(map[*Account]int, len(st.accounts))
	for _, r := range st.records {
		count[r.account]++
	}
	for _, a := range st.accounts {
		a.Currency = currency
		a.Transactions = make([]Transaction, 0, count[a])
	}
	for i, r := range st.records {
		date, reason := written[i].date(order)
		if reason != "" {
			return nil, &Error{Format: QIF, Line: r.dateLine, Reason: fmt.Sprintf("date %q: %s", r.date, reason)}
		}
		m, reason := amounts[i].money(sep, currency)
		if reason != "" {
			return nil, &Error{Format: QIF, Line: r.amountLine, Reason: "amount " + reason}
		}
		wording := flatLine(r.payee)
		if wording == "" {
			wording = flatLine(r.memo)
		}
		acc := r.account
		acc.Transactions = append(acc.Transactions, Transaction{
			Date: date, Amount: m, Wording: wording, Text: flatLine(r.memo), CheckNumber: r.num,
		})
	}
	return &Result{Format: QIF, Dialect: qifDialect(st.sections, order, sep), Accounts: st.accounts}, nil
}

// qifDialect names the section types, the date order and the decimal
// separator: "qif bank d/m/y decimal comma".
func qifDialect(sections []string, order string, sep byte) string {
	var seen []string
	for _, s := range sections {
		found := false
		for _, t := range seen {
			found = found || t == s
		}
		if !found {
			seen = append(seen, s)
		}
	}
	d := "qif " + strings.Join(seen, "+")
	switch order {
	case orderDMY:
		d += " d/m/y"
	case orderMDY:
		d += " m/d/y"
	}
	if sep == ',' {
		return d + " decimal comma"
	}
	return d
}

// optionCurrency checks Options.Currency: "" is EUR, else an ISO 4217
// code of three letters (upper-cased).
func optionCurrency(c string) (string, string) {
	c = strings.ToUpper(strings.TrimSpace(c))
	if c == "" {
		return "EUR", ""
	}
	if !isCurrencyCode3(c) {
		return "", fmt.Sprintf("currency %q is not an ISO 4217 code such as EUR", c)
	}
	return c, ""
}

// flatLine joins the lines of s and collapses its runs of white space.
func flatLine(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\n' || c == '\r' || c == '\t' || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
