// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"os"
	"strings"
	"testing"
)

// mt940Doc is a statement whose :61: lines start on line 5.
func mt940Doc(lines string) string {
	return ":20:REF\r\n:25:10020030/1234567\r\n:28C:1/1\r\n:60F:C260101EUR100,00\r\n" + lines + ":62F:C260102EUR100,00\r\n-\r\n"
}

func TestMT940Errors(t *testing.T) {
	good, err := os.ReadFile("testdata/mt940/mt940-swift-blocks.txt")
	if err != nil {
		t.Fatal(err)
	}
	checkErrors(t, MT940, []errorCase{
		{name: "empty", data: "", reason: "empty file"},
		{name: "garbage", data: "\x00\x01\x02PK\x03\x04", line: 1, reason: "no :20: field: not an MT940 statement"},
		{name: "csv", data: "Date;Amount\n2026-01-01;1\n", line: 1, reason: "no :20: field"},
		{name: "long csv", data: strings.Repeat("2026-01-01;1\n", 8), line: 6, reason: `"2026-01-01;1" is not a field`},
		{name: "second :25:", data: mt940Doc(":61:260101C1,00NTRFNONREF\r\n:25:166?00GUTSCHRIFT\r\n"), line: 6, reason: "a second account field :25: in the statement of line 1"},
		{name: "multi-line :25:", data: ":20:REF\n:25:10020030/1234567\nmore\n:60F:C260101EUR1,00\n:62F:C260101EUR1,00\n", line: 2, reason: "spans several lines"},
		{name: "no :20:", data: ":25:X\n:60F:C260101EUR1,00\n", line: 1, reason: "field :25: before the first :20:"},
		{name: "truncated statement", data: ":20:REF\n:25:X\n:60F:C260101EUR1,00\n:61:260101C1,00NTRFNONREF\n", line: 4, reason: "without a closing balance (:62F:): truncated file?"},
		{name: "truncated block", data: string(good[:len(good)-4]), line: 14, reason: `not closed by "-}" (truncated file?)`},
		{name: "truncated header", data: "{1:F01ABNANL2AXXXX0000000000}", line: 1, reason: "ends inside a SWIFT block header"},
		{name: "stray block end", data: mt940Doc("") + "-}\n", line: 7, reason: "was not opened"},
		{name: "no account", data: ":20:REF\n:60F:C260101EUR1,00\n:62F:C260101EUR1,00\n", line: 1, reason: "without an account (:25:)"},
		{name: "no currency", data: ":20:REF\n:25:X\n:61:260101C1,00NTRFNONREF\n", line: 1, reason: "without a currency"},
		{name: "bad balance", data: ":20:REF\n:25:X\n:60F:C26010EUR1,00\n", line: 3, reason: "balance :60F:C26010EUR1,00 is not"},
		{name: "bad balance date", data: ":20:REF\n:25:X\n:60F:C261301EUR1,00\n", line: 3, reason: `invalid date "261301"`},
		{name: "bad :61:", data: mt940Doc(":61:2601X1C1,00NTRF\r\n"), line: 5, reason: ":61: \"2601X1C1,00NTRF\" is not"},
		{name: "bad value date", data: mt940Doc(":61:260231C1,00NTRFNONREF\r\n"), line: 5, reason: `invalid value date "260231"`},
		{name: "bad entry date", data: mt940Doc(":61:2601011301C1,00NTRFNONREF\r\n"), line: 5, reason: `invalid entry date "1301"`},
		{name: "bad amount", data: mt940Doc(":61:260101C1,2,3NTRFNONREF\r\n"), line: 5, reason: "is not"},
		{name: "too many decimals", data: mt940Doc(":61:260101C1,234NTRFNONREF\r\n"), line: 5, reason: `amount "1,234" has more decimals than EUR allows (2)`},
		{name: "currency contradiction", data: ":20:REF\n:25:X\n:60F:C260101EUR1,00\n:62F:C260101USD1,00\n", line: 4, reason: "field :62F: is in USD but :60F: is in EUR"},
		{name: "mt942 currency contradiction", data: ":20:REF\n:25:X\n:34F:EUR0,\n:90D:1CHF5,00\n", line: 4, reason: "field :90D: is in CHF but :34F: is in EUR"},
		{name: "two currencies, one account", data: ":20:A\n:25:X\n:60F:C260101EUR1,00\n:62F:C260101EUR1,00\n:20:B\n:25:X\n:60F:C260101USD1,00\n:62F:C260101USD1,00\n", line: 5, reason: "account X is in EUR in one statement and USD in another"},
	})
}

func TestMT940Line(t *testing.T) {
	for _, tc := range []struct {
		in                                                   string
		value, entry, mark, amount, typ, cust, bank, details string
	}{
		{"2601020102DR800,NSTONONREF//55555", "2026-01-02", "2026-01-02", "D", "800,", "NSTO", "NONREF", "55555", ""},
		{"251231C3000,NTRF", "2025-12-31", "", "C", "3000,", "NTRF", "", "", ""},
		{"2512310102RC12,5S103ABC//X\nsupplementary", "2025-12-31", "2026-01-02", "RC", "12,5", "S103", "ABC", "X", "supplementary"},
		{"2601010101RDR1,00FCHG", "2026-01-01", "2026-01-01", "RD", "1,00", "FCHG", "", "", ""},
		{"2601011230C1,00NTRF", "2026-01-01", "2025-12-30", "C", "1,00", "NTRF", "", "", ""},
		{"240312    DD212,39NMSCNONREF//", "2024-03-12", "", "D", "212,39", "NMSC", "NONREF", "", ""},
		{"1710111011DF2402,00S   X", "2017-10-11", "2017-10-11", "D", "2402,00", "S   ", "X", "", ""},
	} {
		l, reason := parseMT940Line(tc.in)
		got := []string{l.value.String(), l.entry.String(), l.mark, l.amount, l.txType, l.custRef, l.bankRef, l.details}
		want := []string{tc.value, tc.entry, tc.mark, tc.amount, tc.typ, tc.cust, tc.bank, tc.details}
		if reason != "" || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("parseMT940Line(%q) = %q, %q; want %q", tc.in, got, reason, want)
		}
	}
}

func TestMT940Info(t *testing.T) {
	for _, tc := range []struct{ in, wording, text string }{
		{"Free text wrapped\nover two lines", "Free text wrapped over two lines", ""},
		{strings.Repeat("x", 65) + "\nyz", strings.Repeat("x", 65) + "yz", ""},
		{"020?00UEBERWEISUNG?2\n0Miete?32Vermieter", "Vermieter Miete", "UEBERWEISUNG"},
		{"105?00LASTSCHRIFT?20EREF+1?21SVWZ+Beitrag 2026?22 Mitgliedsnummer 7", "Beitrag 2026 Mitgliedsnummer 7", "LASTSCHRIFT EREF+1 SVWZ+Beitrag 2026 Mitgliedsnummer 7"},
		{"835?00ENTGELT", "ENTGELT", ""},
		{"/TRTP/SEPA/NAME/A/B Co/REMI/USTD//Invoice 1/2/", "A/B Co Invoice 1/2", "SEPA"},
		{"/CODE/unknown", "/CODE/unknown", ""},
	} {
		got := parseMT940Info(tc.in)
		if got.wording != tc.wording || got.text != tc.text {
			t.Errorf("parseMT940Info(%q) = %q, %q; want %q, %q", tc.in, got.wording, got.text, tc.wording, tc.text)
		}
	}
}

func TestMT940Account(t *testing.T) {
	for _, tc := range []struct{ in, key, iban, number, bank string }{
		{"10020030/1234567", "10020030/1234567", "", "1234567", "10020030"},
		{"DE89370400440532013000", "DE89370400440532013000", "DE89370400440532013000", "", ""},
		{"DE89370400440532013000EUR", "DE89370400440532013000", "DE89370400440532013000", "", ""},
		{"COBADEFFXXX/DE89370400440532013000", "DE89370400440532013000", "DE89370400440532013000", "", "COBADEFFXXX"},
		{"DE00370400440532013000", "DE00370400440532013000", "", "DE00370400440532013000", ""}, // bad check digits: a number
		{"0417164300", "0417164300", "", "0417164300", ""},
	} {
		a, reason := mt940Account(tc.in)
		if reason != "" || a.Key != tc.key || a.IBAN != tc.iban || a.Number != tc.number || a.BankID != tc.bank {
			t.Errorf("mt940Account(%q) = %+v, %q", tc.in, a, reason)
		}
	}
}
