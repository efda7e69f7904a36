// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// accountTypes maps woob's Account.TYPE_* names to iswigo's account types.
// woob lists a card as an account of its own only when its operations are
// debited later (an immediate debit card's operations are in its parent's
// history): a CARD is a deferred card.
var accountTypes = map[string]string{
	"UNKNOWN": iswigo.AccountTypeChecking, "CHECKING": iswigo.AccountTypeChecking, "JOINT": iswigo.AccountTypeChecking,
	"SAVINGS": iswigo.AccountTypeSavings, "DEPOSIT": iswigo.AccountTypeSavings, "LDDS": iswigo.AccountTypeSavings,
	"PEL": iswigo.AccountTypeSavings, "CSL": iswigo.AccountTypeSavings, "CEL": iswigo.AccountTypeSavings,
	"CAT": iswigo.AccountTypeSavings, "LIVRET_A": iswigo.AccountTypeSavings, "LIVRET_B": iswigo.AccountTypeSavings,
	"CARD": iswigo.AccountTypeDeferredCreditCard,
	"LOAN": iswigo.AccountTypeLoan, "MORTGAGE": iswigo.AccountTypeLoan, "CONSUMER_CREDIT": iswigo.AccountTypeLoan,
	"REVOLVING_CREDIT": iswigo.AccountTypeLoan,
	"MARKET":           iswigo.AccountTypeMarket, "PEA": iswigo.AccountTypeMarket, "LIFE_INSURANCE": iswigo.AccountTypeMarket,
	"PEE": iswigo.AccountTypeMarket, "PERCO": iswigo.AccountTypeMarket, "ARTICLE_83": iswigo.AccountTypeMarket,
	"RSP": iswigo.AccountTypeMarket, "CAPITALISATION": iswigo.AccountTypeMarket, "PERP": iswigo.AccountTypeMarket,
	"MADELIN": iswigo.AccountTypeMarket, "PER": iswigo.AccountTypeMarket, "REAL_ESTATE": iswigo.AccountTypeMarket,
	"CROWDLENDING": iswigo.AccountTypeMarket,
}

// defaultCurrency is used when a module gives none (woob's modules are
// mostly French).
const defaultCurrency = "EUR"

// accountOf maps a woob Account.
func accountOf(m message) (*iswigo.ConnectorAccount, error) {
	if m.ID == "" {
		return nil, fmt.Errorf("an account without id")
	}
	typ, ok := accountTypes[m.Kind]
	if !ok {
		typ = iswigo.AccountTypeChecking
	}
	a := &iswigo.ConnectorAccount{
		Key:          m.ID,
		ParentKey:    m.ParentID,
		Type:         typ,
		Name:         m.Label,
		Number:       m.Number,
		IBAN:         strings.ToUpper(strings.ReplaceAll(m.IBAN, " ", "")),
		Currency:     strings.ToUpper(m.Currency),
		Professional: m.OwnerType == "ORGA",
	}
	if a.Name == "" {
		a.Name = m.ID
	}
	if a.Currency == "" {
		a.Currency = defaultCurrency
	}
	if m.Balance != nil {
		b, err := iswigo.ParseAmount(*m.Balance, a.Currency)
		if err != nil {
			return nil, fmt.Errorf("account %s: balance: %w", m.ID, err)
		}
		a.Balance = &b
	}
	return a, nil
}

// transactionOf maps a woob Transaction of an account in currency, for a
// sync on day today. woob's date is the day the bank debits or credits
// the account, rdate the day of the operation, vdate the value date:
// the operation date is rdate (date when absent), the accounting date is
// date when it differs and is past. A deferred card's operation is debited
// in date's month (CCOrderMonth). An operation dated after today is left
// out (ok false).
func transactionOf(t wireTransaction, currency string, deferred bool, today iswigo.Date) (tx iswigo.ConnectorTransaction, ok bool, err error) {
	date, err := optionalDate(t.Date)
	if err != nil {
		return tx, false, err
	}
	rdate, err := optionalDate(t.RDate)
	if err != nil {
		return tx, false, err
	}
	vdate, err := optionalDate(t.VDate)
	if err != nil {
		return tx, false, err
	}
	op := rdate
	if op.IsZero() {
		op = date
	}
	if op.IsZero() {
		return tx, false, fmt.Errorf("a transaction without date")
	}
	if today.Before(op) {
		return tx, false, nil
	}
	amount, err := iswigo.ParseAmount(t.Amount, currency)
	if err != nil {
		return tx, false, fmt.Errorf("transaction of %s: %w", op, err)
	}
	tx = iswigo.ConnectorTransaction{OperationDate: op, Amount: amount, Wording: t.Label, Text: t.Raw}
	if tx.Wording == "" {
		tx.Wording = t.Raw
	}
	if !vdate.IsZero() && !today.Before(vdate) {
		tx.ValueDate = vdate
	}
	if !date.IsZero() && date != op && !today.Before(date) {
		tx.AccountingDate = date
	}
	if deferred && !date.IsZero() {
		y, mo, _ := date.Time().Date()
		tx.CCOrderMonth = iswigo.NewDate(y, mo, 1)
	}
	return tx, true, nil
}

func optionalDate(s string) (iswigo.Date, error) {
	if s == "" {
		return iswigo.Date{}, nil
	}
	return iswigo.ParseDate(s)
}

// documentOf maps a woob Document (a Bill with a price is an invoice) for a
// sync at now.
func documentOf(m message, now time.Time) (*iswigo.ConnectorDocument, error) {
	if m.ID == "" {
		return nil, fmt.Errorf("a document without id")
	}
	ext := strings.ToLower(strings.TrimPrefix(m.Format, "."))
	if ext == "" {
		ext = "pdf"
	}
	mt := mime.TypeByExtension("." + ext)
	if mt == "" {
		mt = "application/octet-stream"
	}
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	d := &iswigo.ConnectorDocument{Key: m.ID, Name: m.Label, Extension: ext, Mime: mt, Type: "document", CreatedAt: now}
	if d.Name == "" {
		d.Name = m.ID
	}
	if m.Date != "" {
		day, err := iswigo.ParseDate(m.Date)
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", m.ID, err)
		}
		if t := day.Time(); t.Before(now) {
			d.CreatedAt = t
		}
	}
	if m.Bill && m.Amount != nil {
		currency := strings.ToUpper(m.Currency)
		if currency == "" {
			currency = defaultCurrency
		}
		amount, err := iswigo.ParseAmount(*m.Amount, currency)
		if err != nil {
			return nil, fmt.Errorf("document %s: amount: %w", m.ID, err)
		}
		d.Type, d.Amount = "invoice", &amount
		if due, err := optionalDate(m.DueDate); err == nil && !due.IsZero() {
			d.PaymentDate = due
		}
	}
	return d, nil
}
