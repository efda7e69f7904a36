// SPDX-License-Identifier: Apache-2.0

package api

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

var updateExport = flag.Bool("update-export", false, "rewrite testdata/export.* golden files")

func TestNegotiateTransactions(t *testing.T) {
	for _, tc := range []struct{ accept, want string }{
		{"", mediaJSON},
		{"*/*", mediaJSON},
		{"application/json", mediaJSON},
		{"text/csv", mediaCSV},
		{"text/*", mediaCSV},
		{"application/x-ofx", mediaOFX},
		{"text/csv, application/json", mediaJSON},
		{"text/csv;q=0.5, application/json;q=0.4", mediaCSV},
		{"application/json;q=0.1, application/x-ofx", mediaOFX},
		{"text/html, */*;q=0.8", mediaJSON},
		{"text/csv;q=0, */*", mediaJSON},
		{"text/csv;q=0.5, */*", mediaJSON},
		{"application/x-ofx;q=0.5, application/*;q=0.7", mediaJSON},
		{"text/csv;q=0.5, application/*;q=0.4", mediaCSV},
		{"text/csv, */*;q=0.1", mediaCSV},
		{"text/csv;q=0.9, text/*;q=0.1", mediaCSV},
		{"image/png", mediaJSON},
		{"text/csv;q=2", mediaJSON},
		{"garbage;;", mediaJSON},
	} {
		if got := negotiateTransactions(tc.accept); got != tc.want {
			t.Errorf("Accept %q: %s, want %s", tc.accept, got, tc.want)
		}
	}
}

func TestDecimalAmount(t *testing.T) {
	for _, tc := range []struct {
		m    iswigo.Money
		want string
	}{
		{iswigo.Money{Minor: -1200, Currency: "EUR"}, "-12.00"},
		{iswigo.Money{Minor: 5, Currency: "EUR"}, "0.05"},
		{iswigo.Money{Minor: -5, Currency: "EUR"}, "-0.05"},
		{iswigo.Money{Minor: 0, Currency: "EUR"}, "0.00"},
		{iswigo.Money{Minor: 100001, Currency: "EUR"}, "1000.01"},
		{iswigo.Money{Minor: 7, Currency: "JPY"}, "7"},
		{iswigo.Money{Minor: -1234, Currency: "KWD"}, "-1.234"},
		{iswigo.Money{Minor: 1169668, Currency: "EUR"}, "11696.68"},
	} {
		if got := decimalAmount(tc.m); got != tc.want {
			t.Errorf("decimalAmount(%+v) = %s, want %s", tc.m, got, tc.want)
		}
	}
}

// exportFixture is an account and transactions with every kind of field:
// nulls, a quote, a comma, a line break, XML's special characters, a check.
func exportFixture() (*iswigo.Account, []*iswigo.Transaction) {
	a := &iswigo.Account{ID: "9d101ab3-5cf5-46a4-b94b-d5d2b5660503", Type: iswigo.AccountTypeChecking, Name: "Compte chèque",
		IBAN: "FR7630006000011234567890189", BBAN: "30006000011234567890189", Currency: "EUR",
		Balance: &iswigo.Money{Minor: 1169668, Currency: "EUR"}}
	eur := func(minor int64) iswigo.Money { return iswigo.Money{Minor: minor, Currency: "EUR"} }
	return a, []*iswigo.Transaction{
		{ID: "ea8512c9-dee7-4411-bd37-5e85dda08b6b", AccountID: a.ID, OperationDate: iswigo.NewDate(2020, 4, 24),
			ValueDate: iswigo.NewDate(2020, 4, 25), Amount: eur(17000), Wording: `VIR "SALAIRE", AVRIL`, Text: "line one\nline two"},
		{ID: "99f28852-b1ea-4d60-89d8-38690cb06dea", AccountID: a.ID, OperationDate: iswigo.NewDate(2020, 4, 23),
			AccountingDate: iswigo.NewDate(2020, 4, 24), CCOrderMonth: iswigo.NewDate(2020, 5, 1), Amount: eur(-1205),
			Wording: "CB Café <Bar> & Co"},
		{ID: "50d4b4d2-6a43-4c39-a8f5-1b1fbbb8b0a1", AccountID: a.ID, OperationDate: iswigo.NewDate(2020, 4, 1),
			CheckNumber: "9990001", Amount: eur(-5), Wording: "Chèque n°9990001", Text: "."},
	}
}

// encodeFixture writes the fixture with enc.
func encodeFixture(t *testing.T, enc transactionEncoder, txs []*iswigo.Transaction) {
	t.Helper()
	if err := enc.begin(); err != nil {
		t.Fatal(err)
	}
	for _, tx := range txs {
		if err := enc.transaction(tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.end(); err != nil {
		t.Fatal(err)
	}
}

func goldenExport(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateExport {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run TestExportGolden ./api/ -update-export)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

// TestExportGolden pins the CSV and OFX formats.
func TestExportGolden(t *testing.T) {
	a, txs := exportFixture()
	var csvOut bytes.Buffer
	encodeFixture(t, newCSVEncoder(&csvOut), txs)
	goldenExport(t, "export.csv", csvOut.Bytes())

	now := time.Date(2020, 4, 25, 8, 0, 0, 0, time.UTC)
	span := iswigo.TransactionSpan{Count: len(txs), First: iswigo.NewDate(2020, 4, 1), Last: iswigo.NewDate(2020, 4, 24)}
	var ofx bytes.Buffer
	encodeFixture(t, newOFXEncoder(&ofx, a, iswigo.TransactionFilter{}, span, now), txs)
	goldenExport(t, "export.ofx", ofx.Bytes())

	card := *a
	card.Type, card.IBAN, card.BBAN, card.Number, card.Balance = iswigo.AccountTypeDeferredCreditCard, "", "", "XXXX XXXX XXXX 1234", nil
	var cc bytes.Buffer
	f := iswigo.TransactionFilter{MinDate: iswigo.NewDate(2020, 3, 1), MaxDate: iswigo.NewDate(2020, 4, 30)}
	encodeFixture(t, newOFXEncoder(&cc, &card, f, span, now), txs[1:2])
	goldenExport(t, "export-card.ofx", cc.Bytes())
}
