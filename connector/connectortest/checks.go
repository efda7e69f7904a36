// SPDX-License-Identifier: Apache-2.0

package connectortest

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// checkProvider checks that p is well formed and names the fixture's step.
func checkProvider(t *testing.T, p iswigo.Provider, f Fixture) {
	if p.ID <= 0 {
		t.Errorf("provider id = %d, want > 0", p.ID)
	}
	if p.Name == "" {
		t.Error("provider has no name")
	}
	if len(p.Types) == 0 {
		t.Error("provider has no type")
	}
	for _, typ := range p.Types {
		if typ != iswigo.ProviderTypeBank && typ != iswigo.ProviderTypeDocument {
			t.Errorf("provider type %q, want bank or document", typ)
		}
	}
	if p.Status != "available" && p.Status != "unavailable" {
		t.Errorf("provider status %q, want available or unavailable", p.Status)
	}
	if p.HasType(iswigo.ProviderTypeDocument) != (len(p.Properties.Docs) > 0) {
		t.Errorf("provider types %q and document types %q disagree", p.Types, p.Properties.Docs)
	}
	for _, typ := range p.Properties.Docs {
		if typ != "invoice" && typ != "document" {
			t.Errorf("document type %q, want invoice or document", typ)
		}
	}
	if _, ok := p.Inputs["default"]; !ok {
		t.Error(`provider has no "default" input set`)
	}
	for name, set := range p.Inputs {
		if len(set.Inputs) == 0 && !(name == "default" && f.Upload != nil) {
			t.Errorf("input set %q has no input", name)
		}
		varnames := map[string]bool{}
		for _, in := range set.Inputs {
			where := fmt.Sprintf("input set %q, input %q", name, in.Name)
			if in.Name == "" || in.Varname == "" || in.Label == "" {
				t.Errorf("%s: name, varname and label are required (got %q, %q, %q)", where, in.Name, in.Varname, in.Label)
			}
			if in.Type != "text" && in.Type != "password" {
				t.Errorf("%s: type %q, want text or password", where, in.Type)
			}
			if in.Mask != "" && in.Mask != "numbers" {
				t.Errorf("%s: mask %q, want none or numbers", where, in.Mask)
			}
			if in.MinLength < 0 || in.MaxLength < 0 || (in.MaxLength > 0 && in.MinLength > in.MaxLength) {
				t.Errorf("%s: lengths %d–%d", where, in.MinLength, in.MaxLength)
			}
			if varnames[in.Varname] {
				t.Errorf("%s: varname %q used twice", where, in.Varname)
			}
			varnames[in.Varname] = true
		}
	}
	if f.Step != nil {
		if _, ok := p.Inputs[f.Step.Step]; !ok || f.Step.Step == "default" {
			t.Errorf("fixture step %q is not an additional input set of the provider", f.Step.Step)
		}
	}
}

// checkSync checks what one successful sync put: progress, accounts,
// transactions and documents are valid, none dated after the sync.
func checkSync(t *testing.T, p iswigo.Provider, s *Session) {
	t.Helper()
	for i, pct := range s.Progressions {
		if pct < 0 || pct > 100 || (i > 0 && pct < s.Progressions[i-1]) {
			t.Errorf("progressions %v: want values in 0–100, never decreasing", s.Progressions)
			break
		}
	}
	bank, docs := p.HasType(iswigo.ProviderTypeBank), p.HasType(iswigo.ProviderTypeDocument)
	if bank && len(s.Accounts) == 0 {
		t.Error("a bank provider's sync put no account")
	}
	if !bank && len(s.Accounts) > 0 {
		t.Errorf("a provider without type bank put %d accounts", len(s.Accounts))
	}
	if docs && len(s.Documents) == 0 {
		t.Error("a document provider's sync put no document")
	}
	if !docs && len(s.Documents) > 0 {
		t.Errorf("a provider without type document put %d documents", len(s.Documents))
	}
	today := iswigo.DateOf(s.Time)
	for _, a := range s.Accounts {
		checkAccount(t, s, &a)
		ids := map[string]bool{}
		for _, tx := range s.Transactions[a.Key] {
			where := fmt.Sprintf("account %q, transaction %q of %s", a.Key, tx.Wording, tx.OperationDate)
			if tx.OperationDate.IsZero() {
				t.Errorf("%s: no operation date", where)
			}
			for _, d := range []iswigo.Date{tx.OperationDate, tx.ValueDate, tx.AccountingDate} {
				if !d.IsZero() && (today.Before(d) || d.Time().Year() < 1900) {
					t.Errorf("%s: date %s after the sync's day %s, or before 1900", where, d, today)
				}
			}
			// The debit month of a deferred card operation may be to come.
			if cc := tx.CCOrderMonth; !cc.IsZero() && (cc.Time().Day() != 1 || cc.Time().AddDate(0, 1, 0).Before(tx.OperationDate.Time())) {
				t.Errorf("%s: cc order month %s is not the first day of the operation's month or a later one", where, cc)
			}
			if tx.Amount.Currency != a.Currency || !exact(tx.Amount) {
				t.Errorf("%s: amount %s %s, want an exact amount in %s", where, tx.Amount, tx.Amount.Currency, a.Currency)
			}
			if strings.TrimSpace(tx.Wording) == "" {
				t.Errorf("%s: no wording", where)
			}
			if tx.ProviderID != "" {
				if ids[tx.ProviderID] {
					t.Errorf("%s: provider id %q used twice", where, tx.ProviderID)
				}
				ids[tx.ProviderID] = true
			}
		}
	}
	for key := range s.Transactions {
		if s.Account(key) == nil {
			t.Errorf("transactions of account %q, which was not put", key)
		}
	}
	for _, d := range s.Documents {
		checkDocument(t, p, s, &d)
	}
}

func checkAccount(t *testing.T, s *Session, a *iswigo.ConnectorAccount) {
	t.Helper()
	where := fmt.Sprintf("account %q", a.Key)
	switch a.Type {
	case iswigo.AccountTypeChecking, iswigo.AccountTypeSavings, iswigo.AccountTypeDeferredCreditCard,
		iswigo.AccountTypeCard, iswigo.AccountTypeLoan, iswigo.AccountTypeMarket:
	default:
		t.Errorf("%s: type %q", where, a.Type)
	}
	if a.Name == "" {
		t.Errorf("%s: no name", where)
	}
	if !currencyCode(a.Currency) {
		t.Errorf("%s: currency %q, want an ISO 4217 code", where, a.Currency)
	}
	if a.Balance != nil && (a.Balance.Currency != a.Currency || !exact(*a.Balance)) {
		t.Errorf("%s: balance %s %s, want an exact amount in %s", where, a.Balance, a.Balance.Currency, a.Currency)
	}
	if a.ParentKey != "" && (a.ParentKey == a.Key || s.Account(a.ParentKey) == nil) {
		t.Errorf("%s: parent %q is not another account of the sync", where, a.ParentKey)
	}
}

func checkDocument(t *testing.T, p iswigo.Provider, s *Session, d *Document) {
	t.Helper()
	where := fmt.Sprintf("document %q", d.Key)
	if d.Name == "" || d.Extension == "" || d.Mime == "" {
		t.Errorf("%s: name, extension and mime are required (got %q, %q, %q)", where, d.Name, d.Extension, d.Mime)
	}
	if !slices.Contains(p.Properties.Docs, d.Type) {
		t.Errorf("%s: type %q, not among the provider's %q", where, d.Type, p.Properties.Docs)
	}
	if len(d.Data) == 0 {
		t.Errorf("%s: empty file", where)
	}
	if d.Extension == "pdf" && (d.Mime != "application/pdf" || !bytes.HasPrefix(d.Data, []byte("%PDF-"))) {
		t.Errorf("%s: a pdf must have mime application/pdf (got %q) and start with %%PDF-", where, d.Mime)
	}
	if d.Type == "invoice" && (d.Amount == nil || !currencyCode(d.Amount.Currency) || !exact(*d.Amount)) {
		t.Errorf("%s: an invoice needs an exact amount (got %v)", where, d.Amount)
	}
	if d.CreatedAt.IsZero() || d.CreatedAt.After(s.Time) {
		t.Errorf("%s: created at %v, want a time not after the sync (%v)", where, d.CreatedAt, s.Time)
	}
}

// exact reports whether m survives a round trip through its decimal form
// with the currency's decimals.
func exact(m iswigo.Money) bool {
	v, err := iswigo.ParseAmount(m.String(), m.Currency)
	return err == nil && v == m
}

func currencyCode(c string) bool {
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

// checkSame checks that two syncs at the same time gave the same data.
func checkSame(t *testing.T, a, b *Session) {
	t.Helper()
	if x, y := accountsText(a), accountsText(b); x != y {
		t.Errorf("accounts differ between two syncs:\n%s\nthen\n%s", x, y)
	}
	for _, acc := range a.Accounts {
		x, y := a.Transactions[acc.Key], b.Transactions[acc.Key]
		if missing := missingFrom(x, y, txText); len(missing) > 0 || len(x) != len(y) {
			t.Errorf("account %q: %d then %d transactions; of the first sync's, the second lacks %d, e.g. %q",
				acc.Key, len(x), len(y), len(missing), head(missing))
		}
	}
	if x, y := documentsText(a), documentsText(b); x != y {
		t.Errorf("documents differ between two syncs:\n%s\nthen\n%s", x, y)
	}
}

// checkKept checks that a later sync kept every account, transaction and
// document of an earlier one (same transaction identity, same files).
func checkKept(t *testing.T, before, after *Session) {
	t.Helper()
	for _, acc := range before.Accounts {
		if after.Account(acc.Key) == nil {
			t.Errorf("account %q disappeared a day later", acc.Key)
			continue
		}
		if missing := missingFrom(before.Transactions[acc.Key], after.Transactions[acc.Key], identity); len(missing) > 0 {
			t.Errorf("account %q: a day later, %d transactions are missing or changed identity, e.g. %q",
				acc.Key, len(missing), head(missing))
		}
	}
	for _, d := range before.Documents {
		if e := after.Document(d.Key); e != nil && sha1.Sum(e.Data) != sha1.Sum(d.Data) {
			t.Errorf("document %q: its file changed a day later", d.Key)
		}
	}
}

// identity is what tells a transaction apart at ingest: its provider id,
// or else the fields of its fingerprint (the occurrence index comes from
// counting equal identities).
func identity(tx iswigo.ConnectorTransaction) string {
	if tx.ProviderID != "" {
		return "id " + tx.ProviderID
	}
	return fmt.Sprintf("fp %s %s %s %s %s", tx.OperationDate, tx.ValueDate, tx.Amount, tx.Amount.Currency,
		strings.Join(strings.Fields(strings.ToUpper(tx.Wording)), " "))
}

// txText writes every field of a transaction.
func txText(tx iswigo.ConnectorTransaction) string {
	return fmt.Sprintf("%q %s %s %s %s %q %s %s %q %q", tx.ProviderID, tx.OperationDate, tx.ValueDate, tx.AccountingDate,
		tx.CCOrderMonth, tx.CheckNumber, tx.Amount, tx.Amount.Currency, tx.Wording, tx.Text)
}

// missingFrom returns the elements of the multiset a (by key) that b lacks.
func missingFrom(a, b []iswigo.ConnectorTransaction, key func(iswigo.ConnectorTransaction) string) []string {
	count := make(map[string]int, len(b))
	for _, tx := range b {
		count[key(tx)]++
	}
	var missing []string
	for _, tx := range a {
		k := key(tx)
		if count[k] == 0 {
			missing = append(missing, k)
			continue
		}
		count[k]--
	}
	return missing
}

func head(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func accountsText(s *Session) string {
	lines := make([]string, 0, len(s.Accounts))
	for _, a := range s.Accounts {
		balance := "null"
		if a.Balance != nil {
			balance = a.Balance.String() + " " + a.Balance.Currency
		}
		lines = append(lines, fmt.Sprintf("%q parent=%q %q %q number=%q bban=%q iban=%q %s %s pro=%t",
			a.Key, a.ParentKey, a.Type, a.Name, a.Number, a.BBAN, a.IBAN, balance, a.Currency, a.Professional))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func documentsText(s *Session) string {
	lines := make([]string, 0, len(s.Documents))
	for _, d := range s.Documents {
		amount := "null"
		if d.Amount != nil {
			amount = d.Amount.String() + " " + d.Amount.Currency
		}
		lines = append(lines, fmt.Sprintf("%q %q %q %q %q %s %s %s size=%d sha1=%x",
			d.Key, d.Name, d.Extension, d.Mime, d.Type, amount, d.PaymentDate, d.CreatedAt.UTC().Format(time.RFC3339Nano),
			len(d.Data), sha1.Sum(d.Data)))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
