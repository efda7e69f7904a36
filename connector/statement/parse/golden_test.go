// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The -update flag rewrites golden files (go test ./connector/statement/parse -update).
// It is defined here unless another test file of the package already did.
var _ = func() bool {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
	return true
}()

func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenResult is the stable JSON form of a Result in golden files; money
// is written as exact decimal strings.
type goldenResult struct {
	Format   Format          `json:"format"`
	Dialect  string          `json:"dialect"`
	Accounts []goldenAccount `json:"accounts"`
}

type goldenAccount struct {
	Key          string              `json:"key"`
	IBAN         string              `json:"iban,omitempty"`
	Number       string              `json:"number,omitempty"`
	BankID       string              `json:"bank_id,omitempty"`
	Type         string              `json:"type"`
	Name         string              `json:"name,omitempty"`
	Currency     string              `json:"currency"`
	Balance      *string             `json:"balance"`
	BalanceDate  string              `json:"balance_date,omitempty"`
	Transactions []goldenTransaction `json:"transactions"`
}

type goldenTransaction struct {
	ProviderID  string `json:"provider_id,omitempty"`
	Date        string `json:"date"`
	ValueDate   string `json:"value_date,omitempty"`
	Amount      string `json:"amount"`
	Wording     string `json:"wording"`
	Text        string `json:"text,omitempty"`
	CheckNumber string `json:"check_number,omitempty"`
}

func goldenJSON(t *testing.T, r *Result) []byte {
	t.Helper()
	g := goldenResult{Format: r.Format, Dialect: r.Dialect, Accounts: []goldenAccount{}}
	for _, a := range r.Accounts {
		ga := goldenAccount{Key: a.Key, IBAN: a.IBAN, Number: a.Number, BankID: a.BankID, Type: a.Type,
			Name: a.Name, Currency: a.Currency, BalanceDate: a.BalanceDate.String(), Transactions: []goldenTransaction{}}
		if a.Balance != nil {
			s := a.Balance.String()
			ga.Balance = &s
		}
		for _, tx := range a.Transactions {
			if tx.Amount.Currency != a.Currency {
				t.Errorf("transaction %+v: currency %s in a %s account", tx, tx.Amount.Currency, a.Currency)
			}
			ga.Transactions = append(ga.Transactions, goldenTransaction{ProviderID: tx.ProviderID, Date: tx.Date.String(),
				ValueDate: tx.ValueDate.String(), Amount: tx.Amount.String(), Wording: tx.Wording, Text: tx.Text, CheckNumber: tx.CheckNumber})
		}
		g.Accounts = append(g.Accounts, ga)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkGolden compares got with the golden file path (rewritten with -update).
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if updatingGolden() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", path, got, want)
	}
}

// statementFiles lists the statement files of testdata/dir (not the
// golden files).
func statementFiles(t testing.TB, dir string) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".golden.json") {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no files in testdata/%s", dir)
	}
	return out
}

// TestGoldenBankFormats parses every file of testdata/ofx, camt and mt940
// with format detection and compares the result with its .golden.json.
func TestGoldenBankFormats(t *testing.T) {
	for dir, format := range map[string]Format{"ofx": OFX, "camt": Camt, "mt940": MT940} {
		for _, path := range statementFiles(t, dir) {
			t.Run(path, func(t *testing.T) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if f, err := Detect(data); err != nil || f != format {
					t.Fatalf("Detect = %q, %v; want %q", f, err, format)
				}
				r, err := Parse(data, Options{})
				if err != nil {
					t.Fatal(err)
				}
				checkGolden(t, path+".golden.json", goldenJSON(t, r))
			})
		}
	}
}
