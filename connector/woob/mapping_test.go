// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

func TestTransactionOf(t *testing.T) {
	today := iswigo.NewDate(2026, 3, 15)
	d := iswigo.NewDate
	for _, tc := range []struct {
		name     string
		in       wireTransaction
		deferred bool
		want     iswigo.ConnectorTransaction
		skipped  bool
		err      string
	}{
		{name: "booked", in: wireTransaction{Date: "2026-03-02", RDate: "2026-03-01", VDate: "2026-03-03", Amount: "-12.30", Label: "CB CAFE", Raw: "CB CAFE 01/03"},
			want: iswigo.ConnectorTransaction{OperationDate: d(2026, 3, 1), ValueDate: d(2026, 3, 3), AccountingDate: d(2026, 3, 2), Amount: iswigo.Money{Minor: -1230, Currency: "EUR"}, Wording: "CB CAFE", Text: "CB CAFE 01/03"}},
		{name: "date only, raw as wording", in: wireTransaction{Date: "2026-03-02", Amount: "1000", Raw: "VIR"},
			want: iswigo.ConnectorTransaction{OperationDate: d(2026, 3, 2), Amount: iswigo.Money{Minor: 100000, Currency: "EUR"}, Wording: "VIR", Text: "VIR"}},
		{name: "deferred card, debit to come", deferred: true, in: wireTransaction{Date: "2026-03-31", RDate: "2026-03-06", Amount: "-42.99", Label: "AMAZON"},
			want: iswigo.ConnectorTransaction{OperationDate: d(2026, 3, 6), CCOrderMonth: d(2026, 3, 1), Amount: iswigo.Money{Minor: -4299, Currency: "EUR"}, Wording: "AMAZON"}},
		{name: "after today", in: wireTransaction{Date: "2026-03-16", Amount: "-1.00", Label: "X"}, skipped: true},
		{name: "no date", in: wireTransaction{Amount: "-1.00", Label: "X"}, err: "without date"},
		{name: "too many decimals", in: wireTransaction{Date: "2026-03-01", Amount: "-1.001", Label: "X"}, err: "2026-03-01"},
		{name: "bad date", in: wireTransaction{Date: "01/03/2026", Amount: "-1.00", Label: "X"}, err: "01/03/2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := transactionOf(tc.in, "EUR", tc.deferred, today)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want one naming %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case ok == tc.skipped:
				t.Errorf("kept = %v, want %v", ok, !tc.skipped)
			case ok && got != tc.want:
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestAccountAndDocumentOf(t *testing.T) {
	bal := "-154000.5"
	a, err := accountOf(message{ID: "L1", Kind: "MORTGAGE", Balance: &bal, Currency: "", IBAN: "fr76 3000 6000", OwnerType: "ORGA"})
	if err != nil || a.Type != iswigo.AccountTypeLoan || a.Currency != "EUR" || a.Balance.Minor != -15400050 || a.IBAN != "FR7630006000" || !a.Professional || a.Name != "L1" {
		t.Errorf("account %+v, %v", a, err)
	}
	if a, _ := accountOf(message{ID: "X", Kind: "SOMETHING_NEW"}); a.Type != iswigo.AccountTypeChecking || a.Balance != nil {
		t.Errorf("unknown type: %+v", a)
	}
	if _, err := accountOf(message{ID: "X", Balance: &[]string{"1e3"}[0]}); err == nil {
		t.Error("an exponent balance: want an error (the bridge writes plain decimals)")
	}
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	amount := "84.32"
	d, err := documentOf(message{ID: "F1", Format: "PDF", Bill: true, Amount: &amount, Date: "2026-01-15", DueDate: "2026-01-28"}, now)
	if err != nil || d.Type != "invoice" || d.Extension != "pdf" || d.Mime != "application/pdf" || d.Amount.Minor != 8432 ||
		d.PaymentDate != iswigo.NewDate(2026, 1, 28) || !d.CreatedAt.Equal(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("bill %+v, %v", d, err)
	}
	d, _ = documentOf(message{ID: "N1", Label: "Notice", Bill: true, Date: "2027-01-01"}, now)
	if d.Type != "document" || d.Amount != nil || !d.CreatedAt.Equal(now) {
		t.Errorf("a bill without price, dated later: %+v; want a document created at the sync", d)
	}
}

func TestProviderOfRefusesWhatItCannotExpress(t *testing.T) {
	base := []configValue{{ID: "login", Type: "text", Required: true}}
	for _, tc := range []struct {
		name string
		m    message
	}{
		{"no capability", message{Name: "x", Caps: nil, Config: base}},
		{"select without choices", message{Name: "x", Caps: []string{"CapBank"}, Config: append(base, configValue{ID: "w", Type: "select"})}},
		{"unknown type", message{Name: "x", Caps: []string{"CapBank"}, Config: append(base, configValue{ID: "w", Type: "file"})}},
		{"no input", message{Name: "x", Caps: []string{"CapBank"}, Config: []configValue{{ID: "request_information", Transient: true, Type: "text"}}}},
	} {
		if _, _, err := providerOf(tc.m); err == nil {
			t.Errorf("%s: want an error", tc.name)
		}
	}
	p, _, err := providerOf(message{Name: "x", Caps: []string{"CapBank"}, Config: []configValue{{ID: "login", Type: "text", Required: true, Regexp: `(?=x)`}}})
	if err != nil || p.Inputs["default"].Inputs[0].Pattern != "" || p.Name != "x" {
		t.Errorf("a Python-only regexp is left to the bridge: %+v, %v", p, err)
	}
}

func TestBackgroundStep(t *testing.T) {
	values := func(ids ...string) message {
		m := message{Name: "x"}
		for _, id := range ids {
			m.Config = append(m.Config, configValue{ID: id})
		}
		return m
	}
	for _, tc := range []struct {
		m     message
		steps []string
		want  string
	}{
		{values("login", "password", "otp", "request_information"), []string{"otp"}, "otp"},
		{values("login", "password", "otp", "auth_uri"), []string{"otp"}, ""}, // may redirect instead
		{values("login", "password", "otp", "resume"), []string{"otp"}, ""},   // may wait for an app instead
		{values("login", "otp", "sms"), []string{"otp", "sms"}, ""},           // which one?
		{values("login", "auth_uri", "redirect_uri", "state"), nil, ""},       // redirect only
		{values("login", "password"), nil, ""},
	} {
		if got := backgroundStep(tc.m, tc.steps); got != tc.want {
			t.Errorf("backgroundStep(%v, %q) = %q, want %q", tc.m.Config, tc.steps, got, tc.want)
		}
	}
}
