// SPDX-License-Identifier: Apache-2.0

package simplefin

import (
	"net/url"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// customCurrency is the currency of accounts in a SimpleFIN custom
// currency (a URL: airline miles, reward points): ISO 4217 "XXX", "no
// currency", with 2 decimals. The currency's URL is not fetched (a sync
// calls no address the server did not choose to be called at); its host
// and path go into the account's name.
const customCurrency = "XXX"

// currencyOf returns the iswigo currency of a SimpleFIN currency and, for
// a custom one, a suffix for the account's name.
func currencyOf(c string) (currency, nameSuffix string, ok bool) {
	c = strings.TrimSpace(c)
	if len(c) == 3 && isLetters(c) {
		return strings.ToUpper(c), "", true
	}
	if u, err := url.Parse(c); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return customCurrency, " (" + u.Host + strings.TrimSuffix(u.Path, "/") + ")", true
	}
	return "", "", false
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// amountOf parses a SimpleFIN numeric string exactly. Zeros past the
// currency's decimals ("100.2300") are dropped; other digits there, and
// anything but a plain decimal, fail (the account is then left out).
func amountOf(s, currency string) (iswigo.Money, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		dec := iswigo.CurrencyDecimals(currency)
		for len(s)-i-1 > dec && strings.HasSuffix(s, "0") {
			s = s[:len(s)-1]
		}
		s = strings.TrimSuffix(s, ".")
	}
	return iswigo.ParseAmount(s, currency)
}

// accountType guesses the iswigo type of an account from its name:
// SimpleFIN has no account types.
func accountType(name string) string {
	n := strings.ToLower(name)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("saving", "money market", "épargne", "livret"):
		return iswigo.AccountTypeSavings
	case has("mortgage", "loan", "prêt", "credit line", "heloc"):
		return iswigo.AccountTypeLoan
	case has("brokerage", "invest", "401k", "401(k)", " ira", "roth", "hsa", "retirement"):
		return iswigo.AccountTypeMarket
	case has("credit card", "visa", "mastercard", "amex", "card"):
		return iswigo.AccountTypeCard
	}
	return iswigo.AccountTypeChecking
}

// dateOf returns the UTC date of a Unix time.
func dateOf(unix int64) iswigo.Date { return iswigo.DateOf(time.Unix(unix, 0)) }

// convertAccount turns a SimpleFIN account into an iswigo account and its
// booked transactions, dated by posted (UTC); pending ones, and those
// dated after today, are left for a later sync. ok is false when the account cannot be read
// exactly (unknown currency, amount with too many decimals).
func convertAccount(a account, key string, today iswigo.Date) (*iswigo.ConnectorAccount, []iswigo.ConnectorTransaction, bool) {
	currency, suffix, ok := currencyOf(a.Currency)
	if !ok || a.ID == "" {
		return nil, nil, false
	}
	name := strings.TrimSpace(a.Name)
	if name == "" {
		name = "Account " + a.ID
	}
	out := &iswigo.ConnectorAccount{Key: key, Type: accountType(name), Name: name + suffix, Currency: currency}
	if a.Balance != "" {
		b, err := amountOf(string(a.Balance), currency)
		if err != nil {
			return nil, nil, false
		}
		out.Balance = &b
	}
	txs := []iswigo.ConnectorTransaction{}
	for _, t := range a.Transactions {
		if t.Pending || t.Posted <= 0 || t.ID == "" {
			continue
		}
		posted := dateOf(int64(t.Posted))
		if today.Before(posted) {
			continue
		}
		amount, err := amountOf(string(t.Amount), currency)
		if err != nil {
			return nil, nil, false
		}
		tx := iswigo.ConnectorTransaction{ProviderID: t.ID, OperationDate: posted, Amount: amount,
			Wording: strings.Join(strings.Fields(t.Description), " ")}
		if tx.Wording == "" {
			tx.Wording = "-"
		}
		txs = append(txs, tx)
	}
	return out, txs, true
}
