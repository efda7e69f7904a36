// SPDX-License-Identifier: Apache-2.0

package enablebanking

import (
	"strings"

	"github.com/iswigo/iswigo"
)

// amountType is an amount as Enable Banking writes it.
type amountType struct {
	Currency string `json:"currency"`
	Amount   string `json:"amount"`
}

// money parses a, dropping trailing zeros beyond the currency's decimals
// ("12.500" EUR).
func (a amountType) money() (iswigo.Money, error) {
	s := strings.TrimSpace(a.Amount)
	if whole, frac, ok := strings.Cut(s, "."); ok {
		dec := iswigo.CurrencyDecimals(a.Currency)
		for len(frac) > dec && strings.HasSuffix(frac, "0") {
			frac = frac[:len(frac)-1]
		}
		s = whole
		if frac != "" {
			s += "." + frac
		}
	}
	return iswigo.ParseAmount(s, a.Currency)
}

type party struct {
	Name string `json:"name"`
}

type accountID struct {
	IBAN  string `json:"iban"`
	Other *struct {
		Identification string `json:"identification"`
	} `json:"other"`
}

// sessionAccount is an account of POST /sessions' answer.
type sessionAccount struct {
	UID                string     `json:"uid"`
	IdentificationHash string     `json:"identification_hash"`
	AccountID          *accountID `json:"account_id"`
	Name               string     `json:"name"`
	Details            string     `json:"details"`
	Product            string     `json:"product"`
	Usage              string     `json:"usage"` // PRIV or ORGA
	CashAccountType    string     `json:"cash_account_type"`
	Currency           string     `json:"currency"`
}

// stateAccount keeps what later syncs need. The label comes from the
// details or the product: an account's name is often its holder's.
func (a sessionAccount) stateAccount(business bool) stateAccount {
	s := stateAccount{UID: a.UID, Key: a.IdentificationHash, Currency: a.Currency,
		Professional: business || a.Usage == "ORGA"}
	if s.Key == "" {
		s.Key = a.UID
	}
	if a.AccountID != nil {
		s.IBAN = a.AccountID.IBAN
		if a.AccountID.Other != nil {
			s.Number = a.AccountID.Other.Identification
		}
	}
	if s.Number == "" {
		s.Number = s.IBAN
	}
	switch {
	case a.Details != "":
		s.Name = a.Details
	case a.Product != "":
		s.Name = a.Product
	case len(s.Number) >= 4:
		s.Name = "Account …" + s.Number[len(s.Number)-4:]
	default:
		s.Name = "Account"
	}
	switch a.CashAccountType {
	case "SVGS":
		s.Type = iswigo.AccountTypeSavings
	case "CARD":
		s.Type = iswigo.AccountTypeCard
	case "LOAN":
		s.Type = iswigo.AccountTypeLoan
	default:
		s.Type = iswigo.AccountTypeChecking
	}
	return s
}

// balance is one of GET /accounts/{uid}/balances.
type balance struct {
	BalanceAmount amountType `json:"balance_amount"`
	BalanceType   string     `json:"balance_type"`
}

// balanceOrder prefers the booked closing balance, then the interim and
// available ones.
var balanceOrder = []string{"CLBD", "ITBD", "XPCD", "ITAV", "CLAV", "OPBD", "OPAV", "VALU", "INFO", "OTHR"}

func pickBalance(bs []balance, currency string) *iswigo.Money {
	for _, t := range balanceOrder {
		for _, b := range bs {
			if b.BalanceType == t && (b.BalanceAmount.Currency == currency || currency == "") {
				if m, err := b.BalanceAmount.money(); err == nil {
					return &m
				}
			}
		}
	}
	return nil
}

// transaction is one of GET /accounts/{uid}/transactions.
type transaction struct {
	EntryReference        string     `json:"entry_reference"`
	TransactionAmount     amountType `json:"transaction_amount"`
	Creditor              *party     `json:"creditor"`
	Debtor                *party     `json:"debtor"`
	CreditDebitIndicator  string     `json:"credit_debit_indicator"` // CRDT or DBIT
	Status                string     `json:"status"`                 // BOOK, PDNG…
	BookingDate           string     `json:"booking_date"`
	ValueDate             string     `json:"value_date"`
	TransactionDate       string     `json:"transaction_date"`
	RemittanceInformation []string   `json:"remittance_information"`
	Note                  string     `json:"note"`
	TransactionID         string     `json:"transaction_id"` // may change between listings: never a key
}

// booked converts a booked transaction; ok is false for pending or
// unreadable ones (a pending one comes again once booked).
func (t transaction) booked() (iswigo.ConnectorTransaction, bool) {
	var out iswigo.ConnectorTransaction
	if t.Status != "BOOK" {
		return out, false
	}
	m, err := t.TransactionAmount.money()
	if err != nil {
		return out, false
	}
	if m.Minor < 0 {
		m.Minor = -m.Minor
	}
	var counterparty *party
	switch t.CreditDebitIndicator {
	case "DBIT":
		m.Minor, counterparty = -m.Minor, t.Creditor
	case "CRDT":
		counterparty = t.Debtor
	default:
		return out, false
	}
	out.Amount = m
	out.ProviderID = t.EntryReference
	booking, _ := iswigo.ParseDate(t.BookingDate)
	value, _ := iswigo.ParseDate(t.ValueDate)
	operation, _ := iswigo.ParseDate(t.TransactionDate)
	if operation.IsZero() {
		operation = booking
	}
	if operation.IsZero() {
		operation = value
	}
	if operation.IsZero() {
		return out, false
	}
	out.OperationDate, out.ValueDate, out.AccountingDate = operation, value, booking
	remittance := strings.Join(strings.Fields(strings.Join(t.RemittanceInformation, " ")), " ")
	name := ""
	if counterparty != nil {
		name = strings.TrimSpace(counterparty.Name)
	}
	switch {
	case remittance != "" && name != "":
		out.Wording, out.Text = name+" "+remittance, remittance
	case remittance != "":
		out.Wording = remittance
	case name != "":
		out.Wording = name
	case t.Note != "":
		out.Wording = t.Note
	default:
		out.Wording = t.CreditDebitIndicator
	}
	if r := []rune(out.Wording); len(r) > 500 {
		out.Wording = string(r[:500])
	}
	return out, true
}
