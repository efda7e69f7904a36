// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"

	"github.com/iswigo/iswigo"
)

// ofxStatements builds accounts from the aggregates and leaves of an OFX
// body:
//   - the account is BANKACCTFROM (BANKID, ACCTID, ACCTTYPE; Key "BANKID
//     ACCTID") or, for a credit card, CCACCTFROM (ACCTID; type card); its
//     currency CURDEF. An ACCTID that is a valid IBAN (European banks write
//     one) is the account's IBAN and Key, as in camt and MT940 files;
//   - the balance is LEDGERBAL (BALAMT at DTASOF); of several statements of
//     one account, the one with the latest DTASOF (else DTEND) wins;
//   - a STMTTRN becomes a transaction: FITID the provider id, DTPOSTED the
//     date, DTUSER the value date, TRNAMT the signed amount, NAME (or
//     PAYEE/NAME) the wording and MEMO the text (MEMO is the wording when
//     there is no name), CHECKNUM the check number;
//   - a TRNAMT is in CURDEF (or, when CURDEF is missing or empty, as some
//     exports write it, in Options.Currency if the caller gives one; else
//     the statement is refused rather than guessed). A transaction's
//     ORIGCURRENCY only says what the original currency was (the amount is
//     still in CURDEF) and is ignored.
//     A CURRENCY aggregate whose CURSYM differs from CURDEF says the amount
//     is in that other currency: the file is refused, since converting at
//     CURRATE would round money;
//   - a STATUS with SEVERITY ERROR (in SONRS, STMTTRNRS or CCSTMTTRNRS) is
//     the bank saying the download failed: the file is refused with its
//     CODE and MESSAGE.
//
// Dates are read as written by the bank (YYYYMMDD, with an optional time
// HHMMSS[.XXX] and zone [-5:EST]): the calendar date of the first eight
// digits, not shifted to UTC.
type ofxStatements struct {
	r        *ofxReader
	accounts accountSet
	stmt     *ofxStmt
	txn      *ofxTxn
	status   *ofxStatus
	// givenCurrency is Options.Currency: the currency of statements whose
	// CURDEF is missing or empty, when the caller names one ("" = none: such
	// a statement is an error rather than a guess).
	givenCurrency string
	investment    bool // an INVSTMTRS seen (not read)
}

type ofxStmt struct {
	card                    bool
	off                     int
	bankID, acctID, acctTyp string
	currency                string
	balAmt, balDate         ofxValue
	dtEnd                   string
	txns                    []Transaction
}

// ofxValue is a leaf value with its offset, for errors.
type ofxValue struct {
	v   string
	off int
}

type ofxTxn struct {
	off                                int
	fitID, name, payee, memo, checkNum string
	trnType                            string
	posted, user, amount, curSym       ofxValue
}

type ofxStatus struct {
	code, severity, message string
	off                     int
}

func (s *ofxStatements) open(name string, off int) error {
	switch name {
	case "STMTRS", "CCSTMTRS":
		s.stmt = &ofxStmt{card: name == "CCSTMTRS", off: off, currency: s.givenCurrency}
	case "INVSTMTRS":
		s.investment = true
	case "STMTTRN":
		switch {
		case s.stmt != nil:
			s.txn = &ofxTxn{off: off}
		case s.r.find("INVSTMTRS") >= 0:
			s.txn = nil // the cash moves of an investment statement: not read
		default:
			return s.r.errAt(off, "", "<STMTTRN> outside a statement (STMTRS or CCSTMTRS)")
		}
	case "STATUS":
		s.status = &ofxStatus{off: off}
	}
	return nil
}

func (s *ofxStatements) leaf(name, value string, off int) error {
	parent := s.r.parent()
	v := ofxValue{value, off}
	switch parent {
	case "STATUS":
		if s.status != nil {
			switch name {
			case "CODE":
				s.status.code = value
			case "SEVERITY":
				s.status.severity = strings.ToUpper(value)
			case "MESSAGE":
				s.status.message = value
			}
		}
	case "STMTRS", "CCSTMTRS":
		if name == "CURDEF" && s.stmt != nil && value != "" {
			s.stmt.currency = strings.ToUpper(value)
			if !validCurrency(s.stmt.currency) {
				return s.r.errAt(off, name, fmt.Sprintf("invalid currency CURDEF %q", value))
			}
		}
	case "BANKACCTFROM", "CCACCTFROM":
		if s.stmt != nil {
			switch name {
			case "BANKID":
				s.stmt.bankID = value
			case "ACCTID":
				s.stmt.acctID = value
			case "ACCTTYPE":
				s.stmt.acctTyp = strings.ToUpper(value)
			}
		}
	case "LEDGERBAL":
		if s.stmt != nil {
			switch name {
			case "BALAMT":
				s.stmt.balAmt = v
			case "DTASOF":
				s.stmt.balDate = v
			}
		}
	case "BANKTRANLIST":
		if name == "DTEND" && s.stmt != nil {
			s.stmt.dtEnd = value
		}
	case "STMTTRN":
		if t := s.txn; t != nil {
			switch name {
			case "FITID":
				t.fitID = value
			case "DTPOSTED":
				t.posted = v
			case "DTUSER":
				t.user = v
			case "TRNAMT":
				t.amount = v
			case "NAME":
				t.name = value
			case "MEMO":
				t.memo = value
			case "CHECKNUM":
				t.checkNum = value
			case "TRNTYPE":
				t.trnType = value
			}
		}
	case "PAYEE":
		if s.txn != nil && name == "NAME" {
			s.txn.payee = value
		}
	case "CURRENCY":
		if s.txn != nil && name == "CURSYM" {
			s.txn.curSym = v
		}
	}
	return nil
}

func (s *ofxStatements) close(name string, off int) error {
	switch name {
	case "STMTTRN":
		if s.txn != nil && s.stmt != nil {
			t, err := s.transaction(s.txn)
			if err != nil {
				return err
			}
			s.stmt.txns = append(s.stmt.txns, t)
		}
		s.txn = nil
	case "STATUS":
		st := s.status
		s.status = nil
		if st != nil && st.severity == "ERROR" {
			where := "the response"
			if i := len(s.r.stack) - 2; i >= 0 {
				where = s.r.stack[i]
			}
			msg := st.message
			if msg == "" {
				msg = "(no message)"
			}
			return s.r.errAt(st.off, "", fmt.Sprintf("the bank reported an error in %s: code %s: %s", where, st.code, msg))
		}
	case "STMTRS", "CCSTMTRS":
		if s.stmt != nil {
			if err := s.statement(s.stmt); err != nil {
				return err
			}
		}
		s.stmt = nil
	}
	return nil
}

// transaction checks and converts one STMTTRN.
func (s *ofxStatements) transaction(t *ofxTxn) (Transaction, error) {
	st := s.stmt
	if st.currency == "" {
		return Transaction{}, s.r.errAt(t.off, "", "a transaction without a currency: the statement's CURDEF is missing, empty or after it, and no currency was given for the file")
	}
	if t.curSym.v != "" && !strings.EqualFold(t.curSym.v, st.currency) {
		return Transaction{}, s.r.errAt(t.curSym.off, "CURSYM", fmt.Sprintf("the transaction's amount is in %s (CURRENCY/CURSYM) but the statement's currency is %s (CURDEF): converting it would round money, so the file is refused", strings.ToUpper(t.curSym.v), st.currency))
	}
	if t.posted.v == "" {
		return Transaction{}, s.r.errAt(t.off, "", "a transaction without a date (DTPOSTED)")
	}
	date, ok := ofxDate(t.posted.v)
	if !ok {
		return Transaction{}, s.r.errAt(t.posted.off, "DTPOSTED", fmt.Sprintf("invalid date %q (YYYYMMDD[HHMMSS[.XXX]][[±H:TZ]] expected)", t.posted.v))
	}
	out := Transaction{ProviderID: t.fitID, Date: date, CheckNumber: t.checkNum}
	if t.user.v != "" {
		if out.ValueDate, ok = ofxDate(t.user.v); !ok {
			return Transaction{}, s.r.errAt(t.user.off, "DTUSER", fmt.Sprintf("invalid date %q", t.user.v))
		}
	}
	if t.amount.v == "" {
		return Transaction{}, s.r.errAt(t.off, "", "a transaction without an amount (TRNAMT)")
	}
	amt, reason := exactAmount(t.amount.v, st.currency)
	if reason != "" {
		return Transaction{}, s.r.errAt(t.amount.off, "TRNAMT", reason)
	}
	out.Amount = amt
	name := oneLine(t.name)
	if name == "" {
		name = oneLine(t.payee)
	}
	memo := oneLine(t.memo)
	switch {
	case name != "":
		out.Wording = name
		if memo != name {
			out.Text = memo
		}
	case memo != "":
		out.Wording = memo
	default:
		out.Wording = t.trnType
	}
	return out, nil
}

// statement checks one STMTRS or CCSTMTRS and adds it to the accounts.
func (s *ofxStatements) statement(st *ofxStmt) error {
	if st.acctID == "" {
		agg := "BANKACCTFROM"
		if st.card {
			agg = "CCACCTFROM"
		}
		return s.r.errAt(st.off, "", "a statement without an account number ("+agg+"/ACCTID)")
	}
	if st.currency == "" {
		return s.r.errAt(st.off, "", "a statement without a currency: CURDEF is missing or empty, and no currency was given for the file")
	}
	a := &Account{Number: st.acctID, BankID: st.bankID, Currency: st.currency, Transactions: st.txns}
	a.Key = joinNonEmpty(" ", st.bankID, st.acctID)
	if iban := strings.ToUpper(strings.ReplaceAll(st.acctID, " ", "")); ibanForm.MatchString(iban) && ibanChecksum(iban) {
		a.IBAN, a.Key, a.Number = iban, iban, "" // the same account as in its camt or MT940 statements
	}
	switch {
	case st.card:
		a.Type = iswigo.AccountTypeCard
	case st.acctTyp == "SAVINGS", st.acctTyp == "MONEYMRKT", st.acctTyp == "CD":
		a.Type = iswigo.AccountTypeSavings
	case st.acctTyp == "CREDITLINE":
		a.Type = iswigo.AccountTypeLoan
	default:
		a.Type = iswigo.AccountTypeChecking
	}
	order := st.dtEnd
	if st.balAmt.v != "" {
		m, reason := exactAmount(st.balAmt.v, st.currency)
		if reason != "" {
			return s.r.errAt(st.balAmt.off, "BALAMT", reason)
		}
		a.Balance = &m
		if st.balDate.v != "" {
			d, ok := ofxDate(st.balDate.v)
			if !ok {
				return s.r.errAt(st.balDate.off, "DTASOF", fmt.Sprintf("invalid date %q", st.balDate.v))
			}
			a.BalanceDate = d
			order = d.String()
		}
	}
	if len(order) > 8 && order[4] != '-' {
		if d, ok := ofxDate(order); ok {
			order = d.String()
		}
	}
	if _, reason := s.accounts.add(a, order); reason != "" {
		return s.r.errAt(st.off, "", reason)
	}
	return nil
}

// ofxDate reads an OFX date or date-time: YYYYMMDD, optionally followed by
// HHMM or HHMMSS, .XXX milliseconds, and a [±H[.MM][:TZ]] zone. It returns
// the calendar date as written.
func ofxDate(v string) (iswigo.Date, bool) {
	if len(v) < 8 || !allDigits(v[:8]) {
		return iswigo.Date{}, false
	}
	rest := v[8:]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i != 0 && i != 4 && i != 6 {
		return iswigo.Date{}, false
	}
	rest = rest[i:]
	if strings.HasPrefix(rest, ".") {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 1 || i != 6 {
			return iswigo.Date{}, false
		}
		rest = rest[j:]
	}
	if rest != "" {
		if rest[0] != '[' || rest[len(rest)-1] != ']' || !ofxZone(rest[1:len(rest)-1]) {
			return iswigo.Date{}, false
		}
	}
	return civilDate(digitsInt(v[0:4]), digitsInt(v[4:6]), digitsInt(v[6:8]))
}

// ofxZone checks the inside of a zone: "-5:EST", "+5.30:IST", "0:GMT", "-5".
func ofxZone(z string) bool {
	off, name, _ := strings.Cut(z, ":")
	off = strings.TrimLeft(off, "+-")
	h, m, _ := strings.Cut(off, ".")
	if h == "" || len(h) > 2 || !allDigits(h) || !allDigits(m) || len(name) > 10 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// result finishes the file.
func (r *ofxReader) result(dialect string) (*Result, error) {
	if len(r.st.accounts.list) == 0 && r.st.investment {
		return nil, &Error{Format: OFX, Reason: "only investment statements (INVSTMTRS) in the file: they are not imported, only bank (STMTRS) and credit card (CCSTMTRS) statements"}
	}
	if len(r.st.accounts.list) == 0 {
		return nil, &Error{Format: OFX, Reason: "no bank (STMTRS) or credit card (CCSTMTRS) statement in the file"}
	}
	for _, a := range r.st.accounts.list {
		dropAmbiguousIDs(a)
	}
	return &Result{Dialect: dialect, Accounts: r.st.accounts.list}, nil
}
