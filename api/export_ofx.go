// SPDX-License-Identifier: Apache-2.0

package api

import (
	"bufio"
	"encoding/xml"
	"io"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// ofxEncoder writes an OFX 2.2 (XML) statement download of one account:
// a bank statement (STMTRS, BANKACCTFROM) or, for cards, a credit card
// statement (CCSTMTRS, CCACCTFROM). Each STMTTRN has the transaction's id
// as FITID, the operation date as DTPOSTED, the value date as DTUSER, the
// amount as TRNAMT, the wording as NAME (whole, even past OFX's 32
// characters, so that a re-import keeps it) and the text as MEMO.
// LEDGERBAL is the account's balance as of the export; it is left out
// when the balance is unknown. Text is XML-escaped; nothing else is
// written but elements.
type ofxEncoder struct {
	w       *bufio.Writer
	account *iswigo.Account
	card    bool
	start   iswigo.Date
	last    iswigo.Date
	now     time.Time
}

func newOFXEncoder(w io.Writer, a *iswigo.Account, f iswigo.TransactionFilter, span iswigo.TransactionSpan, now time.Time) *ofxEncoder {
	e := &ofxEncoder{w: bufio.NewWriter(w), account: a, now: now.UTC(),
		card: a.Type == iswigo.AccountTypeCard || a.Type == iswigo.AccountTypeDeferredCreditCard}
	e.start, e.last = f.MinDate, f.MaxDate
	if e.start.IsZero() {
		e.start = span.First
	}
	if e.last.IsZero() {
		e.last = span.Last
	}
	today := iswigo.DateOf(e.now)
	if e.start.IsZero() {
		e.start = today
	}
	if e.last.IsZero() {
		e.last = today
	}
	return e
}

// ofxAccountType maps an account type to OFX's ACCTTYPE.
func ofxAccountType(t string) string {
	switch t {
	case iswigo.AccountTypeSavings:
		return "SAVINGS"
	case iswigo.AccountTypeLoan:
		return "CREDITLINE"
	}
	return "CHECKING"
}

// ofxAccountID is the ACCTID: the IBAN, else the number, else the BBAN,
// else iswigo's id of the account.
func ofxAccountID(a *iswigo.Account) string {
	for _, v := range []string{a.IBAN, a.Number, a.BBAN} {
		if v != "" {
			return v
		}
	}
	return a.ID
}

// ofxBankID is the BANKID: the first nine characters of the BBAN (the
// IBAN without its country code and check digits when the BBAN is
// unknown), which begin with the bank's code; "NONE" without either.
func ofxBankID(a *iswigo.Account) string {
	bban := a.BBAN
	if bban == "" && len(a.IBAN) > 4 {
		bban = a.IBAN[4:]
	}
	bban = strings.ReplaceAll(bban, " ", "")
	if bban == "" {
		return "NONE"
	}
	return bban[:min(9, len(bban))]
}

func (e *ofxEncoder) dateTime(t time.Time) string {
	return t.Format("20060102150405.000") + "[0:UTC]"
}

func ofxDate(d iswigo.Date) string { return strings.ReplaceAll(d.String(), "-", "") }

// el writes <name>text</name>, the text escaped.
func (e *ofxEncoder) el(name, text string) {
	e.w.WriteString("<" + name + ">")
	_ = xml.EscapeText(e.w, []byte(text))
	e.w.WriteString("</" + name + ">")
}

func (e *ofxEncoder) begin() error {
	w := e.w
	w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\r\n")
	w.WriteString(`<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>` + "\r\n")
	w.WriteString("<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>")
	e.el("DTSERVER", e.dateTime(e.now))
	w.WriteString("<LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>\r\n")
	if e.card {
		w.WriteString("<CREDITCARDMSGSRSV1><CCSTMTTRNRS>")
	} else {
		w.WriteString("<BANKMSGSRSV1><STMTTRNRS>")
	}
	e.el("TRNUID", e.account.ID)
	w.WriteString("<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>")
	if e.card {
		w.WriteString("<CCSTMTRS>")
	} else {
		w.WriteString("<STMTRS>")
	}
	e.el("CURDEF", e.account.Currency)
	if e.card {
		w.WriteString("<CCACCTFROM>")
		e.el("ACCTID", ofxAccountID(e.account))
		w.WriteString("</CCACCTFROM>")
	} else {
		w.WriteString("<BANKACCTFROM>")
		e.el("BANKID", ofxBankID(e.account))
		e.el("ACCTID", ofxAccountID(e.account))
		e.el("ACCTTYPE", ofxAccountType(e.account.Type))
		w.WriteString("</BANKACCTFROM>")
	}
	w.WriteString("\r\n<BANKTRANLIST>")
	e.el("DTSTART", ofxDate(e.start))
	e.el("DTEND", ofxDate(e.last))
	_, err := w.WriteString("\r\n")
	return err
}

func (e *ofxEncoder) transaction(t *iswigo.Transaction) error {
	w := e.w
	w.WriteString("<STMTTRN>")
	switch {
	case t.CheckNumber != "":
		e.el("TRNTYPE", "CHECK")
	case t.Amount.Minor < 0:
		e.el("TRNTYPE", "DEBIT")
	default:
		e.el("TRNTYPE", "CREDIT")
	}
	e.el("DTPOSTED", ofxDate(t.OperationDate))
	if !t.ValueDate.IsZero() {
		e.el("DTUSER", ofxDate(t.ValueDate))
	}
	e.el("TRNAMT", decimalAmount(t.Amount))
	e.el("FITID", t.ID)
	if t.CheckNumber != "" {
		e.el("CHECKNUM", t.CheckNumber)
	}
	e.el("NAME", t.Wording)
	if t.Text != "" {
		e.el("MEMO", t.Text)
	}
	_, err := w.WriteString("</STMTTRN>\r\n") // bufio's errors are sticky: this one says if any write failed
	return err
}

func (e *ofxEncoder) end() error {
	w := e.w
	w.WriteString("</BANKTRANLIST>")
	if b := e.account.Balance; b != nil {
		w.WriteString("<LEDGERBAL>")
		e.el("BALAMT", decimalAmount(*b))
		e.el("DTASOF", e.dateTime(e.now))
		w.WriteString("</LEDGERBAL>")
	}
	if e.card {
		w.WriteString("</CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>\r\n")
	} else {
		w.WriteString("</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n")
	}
	return w.Flush()
}
