// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
)

func TestQIFGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		opt  Options
	}{
		{"qif/bank-dmy.qif", Options{}},
		{"qif/ccard-mdy.qif", Options{Currency: "USD"}},
		{"qif/ambiguous.qif", Options{DateOrder: "dmy"}},
		{"qif/multi-account.qif", Options{}},
	} {
		t.Run(tc.file, func(t *testing.T) { goldenQIFCSV(t, tc.file, tc.opt) })
	}
}

func TestQIFFacts(t *testing.T) {
	res := goldenQIFCSV(t, "qif/ccard-mdy.qif", Options{Currency: "USD"})
	if res.Format != QIF || len(res.Accounts) != 1 || res.Accounts[0].Type != iswigo.AccountTypeCard {
		t.Fatalf("ccard: %+v", res)
	}
	if tx := res.Accounts[0].Transactions[1]; tx.Date != iswigo.NewDate(2026, 1, 2) || tx.Amount != (iswigo.Money{Minor: -6410, Currency: "USD"}) {
		t.Errorf("Quicken date 1/ 2'26: %+v", tx)
	}
	res = goldenQIFCSV(t, "qif/multi-account.qif", Options{})
	if len(res.Accounts) != 2 || res.Accounts[0].Key != "Compte courant" || res.Accounts[1].Key != "Visa Premier" {
		t.Fatalf("accounts by name: %+v", res.Accounts)
	}
	if got := res.Accounts[1].Transactions[0].Amount.Minor; got != -123450 {
		t.Errorf("decimal comma amount = %d; want -123450", got)
	}
	res = goldenQIFCSV(t, "qif/bank-dmy.qif", Options{})
	if tx := res.Accounts[0].Transactions[0]; tx.Date != iswigo.NewDate(2025, 12, 31) || tx.Amount.Minor != -123456 || tx.CheckNumber != "1001" || tx.Wording != "Loyer Décembre" {
		t.Errorf("bank record: %+v", tx)
	}
	if tx := res.Accounts[0].Transactions[2]; tx.Amount.Minor != -4590 || tx.Wording != "Carrefour Market" {
		t.Errorf("split record keeps its T total and takes its wording from M: %+v", tx)
	}
}

func TestQIFRefusesAmbiguousDates(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "qif/ambiguous.qif"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data, Options{})
	var pe *Error
	if !errors.As(err, &pe) || pe.Format != QIF || pe.Line != 2 || !strings.Contains(pe.Reason, "?date_order=dmy|mdy") {
		t.Fatalf("ambiguous dates: %v", err)
	}
	res, err := Parse(data, Options{DateOrder: "mdy"})
	if err != nil || res.Accounts[0].Transactions[0].Date != iswigo.NewDate(2026, 1, 2) {
		t.Fatalf("date_order=mdy: %v %+v", err, res)
	}
}

func TestQIFErrors(t *testing.T) {
	for _, tc := range []parseErrorCase{
		{"empty", "", Options{}, 0, "empty file"},
		{"blank", "\n \r\n", Options{}, 0, "empty file"},
		{"binary", "!Type:Bank\n\x00\x01\x02\x03", Options{}, 0, "binary"},
		{"investment", "!Type:Invst\nD01/02/2026\n", Options{}, 1, "investment accounts"},
		{"unknown section", "!Type:Foo\n", Options{}, 1, "unknown section type"},
		{"unknown header", "!Type:Bank\n!Frobnicate\n", Options{}, 2, "unknown header"},
		{"no header", "D01/02/2026\nT1\n^\n", Options{}, 1, "before any !Type"},
		{"truncated", "!Type:Bank\nD13/02/2026\nT-1.00\nPShop\n", Options{}, 2, "not ended by a ^"},
		{"account truncated", "!Account\nNChecking\n", Options{}, 2, "!Account record not ended"},
		{"no date", "!Type:Bank\nT-1.00\n^\n", Options{}, 2, "without a date"},
		{"no amount", "!Type:Bank\nD13/02/2026\n^\n", Options{}, 2, "without an amount"},
		{"bad date", "!Type:Bank\nD13/02/2026\nT1\n^\nDyesterday\nT2\n^\n", Options{}, 5, `"yesterday" is not a date`},
		{"impossible date", "!Type:Bank\nD31/02/2026\nT1\n^\n", Options{}, 2, "no day 31 in February 2026"},
		{"dates disagree", "!Type:Bank\nD13/02/2026\nT1\n^\nD02/13/2026\nT2\n^\n", Options{}, 5, "dates disagree"},
		{"date_order contradicted", "!Type:Bank\nD13/02/2026\nT1\n^\n", Options{DateOrder: "mdy"}, 2, "no month 13"},
		{"bad date_order", "!Type:Bank\nD13/02/2026\nT1\n^\n", Options{DateOrder: "dym"}, 0, "not dmy, mdy or ymd"},
		{"bad amount", "!Type:Bank\nD13/02/2026\nTabc\n^\n", Options{}, 3, `amount "abc": not a number`},
		{"too many decimals", "!Type:Bank\nD13/02/2026\nT-1.50\n^\nD14/02/2026\nT-1.005\n^\n", Options{}, 6, "3 decimals, more than EUR allows (2)"},
		{"too many decimals JPY", "!Type:Bank\nD13/02/2026\nT-100.5\n^\n", Options{Currency: "JPY"}, 3, "more than JPY allows (0)"},
		{"mixed decimal separators", "!Type:Bank\nD13/02/2026\nT-1.50\n^\nD14/02/2026\nT-1,50\n^\n", Options{}, 6, "mix a decimal comma"},
		{"currency contradicted", "!Type:Bank\nD13/02/2026\nT-1.50 USD\n^\n", Options{}, 3, "is in USD"},
		{"bad currency option", "!Type:Bank\n", Options{Currency: "euro"}, 0, "not an ISO 4217 code"},
		{"no section", "!Option:AutoSwitch\n!Account\nNChecking\n^\n", Options{}, 1, "no transaction section"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantParseError(t, QIF, tc.in, tc.opt, tc.line, tc.reason) })
	}
}

func TestQIFToleratesDOSEndOfFile(t *testing.T) {
	res, err := Parse([]byte("!Type:Bank\r\nD13/01/2026\r\nT-1.00\r\n^\r\n\x1a"), Options{})
	if err != nil || res.Transactions() != 1 {
		t.Fatalf("^Z at the end: %v", err)
	}
}

func TestQIFToleratesEmptySectionsAndLists(t *testing.T) {
	res, err := Parse([]byte("!Type:Class\nNHome\n^\n!Type:Bank\n^\n"), Options{Format: QIF})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) != 1 || len(res.Accounts[0].Transactions) != 0 || res.Accounts[0].Currency != "EUR" {
		t.Errorf("empty bank section: %+v", res.Accounts[0])
	}
}

func FuzzQIF(f *testing.F) {
	addSeedFiles(f, "qif/*.qif")
	f.Add([]byte("!Type:Bank\nD1/ 2'26\nT(1 234,50)\n^\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data, Options{Format: QIF})
		checkQIFCSVOutcome(t, QIF, res, err)
	})
}
