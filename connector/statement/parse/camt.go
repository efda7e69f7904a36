// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/iswigo/iswigo"
)

// camt reads ISO 20022 camt.053 (BkToCstmrStmt, end-of-day statements) and
// camt.052 (BkToCstmrAcctRpt, intraday reports), any schema version: it
// matches element local names and ignores the namespace (or its absence).
//
// Per Stmt (053) or Rpt (052):
//   - the account is Acct/Id/IBAN, else Acct/Id/Othr/Id (PrtryAcct/Id in
//     version .01); Acct/Ccy its currency (else the currency of its first
//     amount), Acct/Nm its name, Acct/Tp/Cd its type (SVGS and the like
//     savings, LOAN loan). Every amount of the statement, balances too,
//     must be in that currency: a difference is a contradiction;
//   - the balance is the last Bal of type CLBD (closing booked); a camt.052
//     report without one gives its ITBD (interim booked) instead. Other
//     types (OPBD, CLAV, ITAV, FWAV…) are not balances of booked money at
//     the end of the period and are not kept;
//   - entries (Ntry) with status BOOK become transactions (Sts text in
//     versions up to .06, Sts/Cd from .07); PDNG, INFO and FUTR entries are
//     skipped. The sign comes from CdtDbtInd; RvslInd needs nothing more,
//     since CdtDbtInd already says which way a reversal moves money.
//
// Statements of one account are merged; the balance is the latest
// statement's, by FrToDt/ToDtTm, else CreDtTm, else file order.
func init() { parsers[Camt] = parseCamt }

var camtNamespace = regexp.MustCompile(`camt\.05[23]\.\d{3}\.\d{2}`)

type camtReader struct {
	src      string
	sc       *xmlScanner
	path     xmlPath
	report   bool // camt.052
	accounts accountSet
	arena    xmlArena
}

// camtStmt is the state of one Stmt or Rpt being read.
type camtStmt struct {
	acct    *Account
	ccyFrom string // what fixed acct.Currency, for errors
	closing *camtBalance
	interim *camtBalance
}

type camtBalance struct {
	amount iswigo.Money
	date   iswigo.Date
}

func parseCamt(data []byte, _ Options) (*Result, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Format: Camt, Reason: "empty file"}
	}
	src, err := decodeXMLDocument(data)
	if err != nil {
		return nil, &Error{Format: Camt, Reason: err.Error()}
	}
	r := &camtReader{src: src, sc: newXMLScanner(src)}
	dialect, err := r.document()
	if err != nil {
		return nil, err
	}
	if len(r.accounts.list) == 0 {
		return nil, &Error{Format: Camt, Reason: "no statement (Stmt) or report (Rpt) in the document"}
	}
	for _, a := range r.accounts.list {
		dropAmbiguousIDs(a)
	}
	return &Result{Dialect: dialect, Accounts: r.accounts.list}, nil
}

// document reads the whole document and returns its dialect.
func (r *camtReader) document() (string, error) {
	root, err := r.nextStart()
	if err != nil {
		return "", err
	}
	ns := ""
	for _, a := range root.attrs {
		if a.name == "xmlns" || strings.HasPrefix(a.name, "xmlns:") {
			if m := camtNamespace.FindString(a.value); m != "" {
				ns = m
			}
		}
	}
	msg := root
	if root.name == "Document" {
		r.path.push("Document", false)
		if msg, err = r.nextStart(); err != nil {
			return "", err
		}
	}
	switch msg.name {
	case "BkToCstmrStmt", "BkToCstmrStmtV01": // version .01 (2008) named the message with its version
	case "BkToCstmrAcctRpt", "BkToCstmrAcctRptV01":
		r.report = true
	case "BkToCstmrDbtCdtNtfctn", "BkToCstmrDbtCdtNtfctnV01":
		return "", r.errHere(msg.off, "a camt.054 debit/credit notification is not a statement: export camt.053 or camt.052")
	default:
		return "", r.errHere(msg.off, fmt.Sprintf("<%s> is not a camt.053 statement (BkToCstmrStmt) or camt.052 report (BkToCstmrAcctRpt)", msg.name))
	}
	r.path.push(msg.name, false)
	if err := r.message(); err != nil {
		return "", err
	}
	r.path.pop()
	for { // the rest: the Document end tag, then nothing
		t, err := r.sc.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", r.syntaxErr(err)
		}
		if t.kind == xmlStart {
			return "", r.errHere(t.off, fmt.Sprintf("unexpected <%s> after the message", t.name))
		}
	}
	kind := "camt.053"
	if r.report {
		kind = "camt.052"
	}
	if ns != "" && strings.HasPrefix(ns, kind) {
		return ns, nil
	}
	if ns != "" {
		return "", r.errHere(msg.off, fmt.Sprintf("namespace %s does not match <%s>", ns, msg.name))
	}
	return kind, nil
}

// nextStart returns the next start tag, skipping text.
func (r *camtReader) nextStart() (xmlToken, error) {
	for {
		t, err := r.sc.next()
		if errors.Is(err, io.EOF) {
			return t, &Error{Format: Camt, Reason: "no camt message in the document"}
		}
		if err != nil {
			return t, r.syntaxErr(err)
		}
		switch t.kind {
		case xmlStart:
			return t, nil
		case xmlEnd:
			return t, r.errHere(t.off, "no camt message in the document")
		}
	}
}

// message reads the children of BkToCstmrStmt or BkToCstmrAcctRpt.
func (r *camtReader) message() error {
	stmtName := "Stmt"
	if r.report {
		stmtName = "Rpt"
	}
	for {
		t, err := r.sc.next()
		if err != nil {
			return r.syntaxErr(err)
		}
		switch t.kind {
		case xmlEnd:
			return nil
		case xmlStart:
			if t.name == stmtName {
				r.path.push(stmtName, true)
				if err := r.statement(t); err != nil {
					return err
				}
				r.path.pop()
				continue
			}
			if err := skipXMLElement(r.sc); err != nil {
				return r.syntaxErr(err)
			}
		}
	}
}

// statement reads one Stmt or Rpt, whose start tag was just read.
func (r *camtReader) statement(start xmlToken) error {
	st := &camtStmt{}
	label := r.path.String()
	counts := map[string]int{}
	var toDt, creDt string
	for {
		t, err := r.sc.next()
		if err != nil {
			return r.syntaxErr(err)
		}
		if t.kind == xmlEnd {
			break
		}
		if t.kind != xmlStart {
			continue
		}
		switch t.name {
		case "Acct", "Bal", "Ntry", "CreDtTm", "FrToDt":
		default:
			if err := skipXMLElement(r.sc); err != nil {
				return r.syntaxErr(err)
			}
			continue
		}
		index := 0
		if t.name == "Ntry" || t.name == "Bal" {
			counts[t.name]++
			index = counts[t.name]
		}
		n, err := readXMLTree(r.sc, &r.arena, t, label, index)
		if err != nil {
			return r.syntaxErr(err)
		}
		switch t.name {
		case "CreDtTm":
			creDt = n.value()
		case "FrToDt":
			toDt = n.value("ToDtTm")
		case "Acct":
			if err := r.account(n, st); err != nil {
				return err
			}
		case "Bal":
			if err := r.balance(n, st); err != nil {
				return err
			}
		case "Ntry":
			if st.acct == nil {
				return r.errAt(n, "entry before the account (Acct) of its statement")
			}
			if err := r.entry(n, st); err != nil {
				return err
			}
		}
	}
	if st.acct == nil {
		return &Error{Format: Camt, Line: lineAt(r.src, start.off), Element: label, Reason: "statement without an account (Acct/Id)"}
	}
	if st.acct.Currency == "" {
		return &Error{Format: Camt, Line: lineAt(r.src, start.off), Element: label, Reason: "no currency: neither Acct/Ccy nor any amount names one"}
	}
	bal := st.closing
	if bal == nil && r.report {
		bal = st.interim
	}
	if bal != nil {
		m := bal.amount
		st.acct.Balance, st.acct.BalanceDate = &m, bal.date
	}
	order := toDt
	if order == "" {
		order = creDt
	}
	if order == "" && bal != nil {
		order = bal.date.String()
	}
	if _, reason := r.accounts.add(st.acct, order); reason != "" {
		return &Error{Format: Camt, Line: lineAt(r.src, start.off), Element: label, Reason: reason}
	}
	return nil
}

// account reads Acct.
func (r *camtReader) account(n *xnode, st *camtStmt) error {
	a := &Account{Type: iswigo.AccountTypeChecking}
	a.IBAN = strings.ReplaceAll(n.value("Id", "IBAN"), " ", "")
	a.Number = n.value("Id", "Othr", "Id")
	if a.Number == "" {
		a.Number = n.value("Id", "PrtryAcct", "Id") // version .01
	}
	switch {
	case a.IBAN != "":
		a.Key = a.IBAN
	case a.Number != "":
		a.Key = a.Number
	default:
		return r.errAt(n, "account without an identifier (Id/IBAN or Id/Othr/Id)")
	}
	if ccy := n.value("Ccy"); ccy != "" {
		if !validCurrency(ccy) {
			return r.errAt(n.child("Ccy"), fmt.Sprintf("invalid currency %q", ccy))
		}
		a.Currency, st.ccyFrom = ccy, "Acct/Ccy"
	}
	a.Name = oneLine(n.value("Nm"))
	a.BankID = n.value("Svcr", "FinInstnId", "BICFI")
	if a.BankID == "" {
		a.BankID = n.value("Svcr", "FinInstnId", "BIC")
	}
	switch n.value("Tp", "Cd") {
	case "SVGS", "SACC", "LLSV", "MOMA", "ONDP":
		a.Type = iswigo.AccountTypeSavings
	case "LOAN", "MGLD":
		a.Type = iswigo.AccountTypeLoan
	}
	st.acct = a
	return nil
}

// balance reads one Bal. Every balance must be in the account's currency
// (and may give it), but only CLBD and ITBD are kept.
func (r *camtReader) balance(n *xnode, st *camtStmt) error {
	if st.acct == nil {
		return r.errAt(n, "balance before the account (Acct) of its statement")
	}
	amt, err := r.money(n, st)
	if err != nil {
		return err
	}
	code := n.value("Tp", "CdOrPrtry", "Cd")
	if code != "CLBD" && code != "ITBD" {
		return nil
	}
	date, err := r.date(n, "Dt", true)
	if err != nil {
		return err
	}
	b := &camtBalance{amount: amt, date: date}
	if code == "CLBD" {
		st.closing = b
	} else {
		st.interim = b
	}
	return nil
}

// money reads the Amt and CdtDbtInd children of n (a Bal or Ntry) into a
// signed amount in the account's currency.
func (r *camtReader) money(n *xnode, st *camtStmt) (iswigo.Money, error) {
	am := n.child("Amt")
	if am == nil {
		return iswigo.Money{}, r.errAt(n, "no amount (Amt)")
	}
	ccy := am.attr("Ccy")
	switch {
	case ccy == "":
		return iswigo.Money{}, r.errAt(am, "amount without a currency (Ccy attribute)")
	case !validCurrency(ccy):
		return iswigo.Money{}, r.errAt(am, fmt.Sprintf("invalid currency %q", ccy))
	case st.acct.Currency == "":
		st.acct.Currency, st.ccyFrom = ccy, "its first amount"
	case ccy != st.acct.Currency:
		return iswigo.Money{}, r.errAt(am, fmt.Sprintf("amount in %s, but the account's currency is %s (from %s)", ccy, st.acct.Currency, st.ccyFrom))
	}
	v := strings.TrimSpace(am.text)
	if strings.ContainsAny(v, "+-,") {
		return iswigo.Money{}, r.errAt(am, fmt.Sprintf("amount %q: camt amounts are unsigned with a decimal point (the sign is CdtDbtInd)", v))
	}
	m, reason := exactAmount(v, ccy)
	if reason != "" {
		return iswigo.Money{}, r.errAt(am, reason)
	}
	switch ind := n.value("CdtDbtInd"); ind {
	case "CRDT":
	case "DBIT":
		m.Minor = -m.Minor
	case "":
		return iswigo.Money{}, r.errAt(n, "no credit/debit indicator (CdtDbtInd)")
	default:
		return iswigo.Money{}, r.errAt(n.child("CdtDbtInd"), fmt.Sprintf("credit/debit indicator %q is neither CRDT nor DBIT", ind))
	}
	return m, nil
}

// date reads the date child name of n (holding Dt or DtTm): BookgDt, ValDt,
// or a balance's Dt. A date-time gives its date as written.
func (r *camtReader) date(n *xnode, name string, required bool) (iswigo.Date, error) {
	d := n.child(name)
	if d == nil {
		if required {
			return iswigo.Date{}, r.errAt(n, fmt.Sprintf("no date (%s)", name))
		}
		return iswigo.Date{}, nil
	}
	el := d.child("Dt")
	if el == nil {
		el = d.child("DtTm")
	}
	if el == nil {
		return iswigo.Date{}, r.errAt(d, "no Dt or DtTm")
	}
	v := strings.TrimSpace(el.text)
	date, ok := isoDatePrefix(v, el.name == "DtTm")
	if !ok {
		return iswigo.Date{}, r.errAt(el, fmt.Sprintf("invalid date %q", v))
	}
	return date, nil
}

// isoDatePrefix reads an ISO 8601 date "YYYY-MM-DD" (with an optional zone)
// or, when dateTime, a date-time "YYYY-MM-DDThh:mm:ss…", as a date.
func isoDatePrefix(v string, dateTime bool) (iswigo.Date, bool) {
	if len(v) < 10 {
		return iswigo.Date{}, false
	}
	rest := v[10:]
	switch {
	case dateTime && (len(rest) < 9 || rest[0] != 'T' || rest[3] != ':' || rest[6] != ':' ||
		!allDigits(rest[1:3]) || !allDigits(rest[4:6]) || !allDigits(rest[7:9])):
		return iswigo.Date{}, false
	case !dateTime && rest != "" && rest != "Z" && rest[0] != '+' && rest[0] != '-':
		return iswigo.Date{}, false
	}
	if v[4] != '-' || v[7] != '-' || !allDigits(v[:4]) || !allDigits(v[5:7]) || !allDigits(v[8:10]) {
		return iswigo.Date{}, false
	}
	return civilDate(digitsInt(v[:4]), digitsInt(v[5:7]), digitsInt(v[8:10]))
}

func (r *camtReader) errAt(n *xnode, reason string) error {
	return &Error{Format: Camt, Line: lineAt(r.src, n.off), Element: n.path(), Reason: reason}
}

func (r *camtReader) errHere(off int, reason string) error {
	return &Error{Format: Camt, Line: lineAt(r.src, off), Element: r.path.String(), Reason: reason}
}

// syntaxErr turns a tokenizer error into an *Error at the current path.
func (r *camtReader) syntaxErr(err error) error {
	var se *xmlSyntaxError
	if errors.As(err, &se) {
		return r.errHere(se.off, se.reason)
	}
	return &Error{Format: Camt, Reason: err.Error()}
}
