// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"errors"
	"strings"
	"testing"
)

// errorCase is a file that must be refused with a precise *Error.
type errorCase struct {
	name    string
	data    string
	line    int    // 0 = not checked
	element string // "" = not checked
	reason  string // a substring of the reason
}

// checkErrors parses each case with format forced and checks the *Error.
func checkErrors(t *testing.T, format Format, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse([]byte(tc.data), Options{Format: format})
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse = %+v, %v; want an *Error", r, err)
			}
			if pe.Format != format {
				t.Errorf("Format = %q; want %q (%v)", pe.Format, format, pe)
			}
			if tc.line != 0 && pe.Line != tc.line {
				t.Errorf("Line = %d; want %d (%v)", pe.Line, tc.line, pe)
			}
			if tc.element != "" && pe.Element != tc.element {
				t.Errorf("Element = %q; want %q (%v)", pe.Element, tc.element, pe)
			}
			if !strings.Contains(pe.Reason, tc.reason) {
				t.Errorf("Reason = %q; want it to contain %q", pe.Reason, tc.reason)
			}
		})
	}
}

func TestExactAmount(t *testing.T) {
	for _, tc := range []struct {
		in, ccy string
		want    int64
	}{
		{"-12.50", "EUR", -1250}, {"+3,5", "EUR", 350}, {"-.50", "USD", -50}, {"100,", "EUR", 10000},
		{"12.500", "EUR", 1250}, {"1000.00", "JPY", 1000}, {"1.234", "KWD", 1234}, {" 7 ", "EUR", 700},
		{"0000000000000000,00", "EUR", 0}, {"000000001213,28", "EUR", 121328},
	} {
		m, reason := exactAmount(tc.in, tc.ccy)
		if reason != "" || m.Minor != tc.want || m.Currency != tc.ccy {
			t.Errorf("exactAmount(%q, %s) = %+v, %q; want %d", tc.in, tc.ccy, m, reason, tc.want)
		}
	}
	for _, tc := range []struct{ in, ccy, reason string }{
		{"12.505", "EUR", "more decimals than EUR allows (2)"},
		{"1.5", "JPY", "more decimals than JPY allows (0)"},
		{"1,234.50", "EUR", "both a decimal point and a decimal comma"},
		{"12a", "EUR", "not a decimal number"},
		{"", "EUR", "not a decimal number"},
		{"-", "EUR", "not a decimal number"},
		{"1e5", "EUR", "not a decimal number"},
		{"1234567890123456", "EUR", "too large"},
	} {
		if _, reason := exactAmount(tc.in, tc.ccy); !strings.Contains(reason, tc.reason) {
			t.Errorf("exactAmount(%q, %s) reason %q; want %q", tc.in, tc.ccy, reason, tc.reason)
		}
	}
}

func TestDropAmbiguousIDs(t *testing.T) {
	a := &Account{Transactions: []Transaction{
		{ProviderID: "A", Wording: "one"}, {ProviderID: "B", Wording: "two"},
		{ProviderID: "A", Wording: "other"}, {ProviderID: "B", Wording: "two"}, {ProviderID: "C"},
	}}
	dropAmbiguousIDs(a)
	var got []string
	for _, tx := range a.Transactions {
		got = append(got, tx.ProviderID)
	}
	if strings.Join(got, ",") != ",B,,B,C" {
		t.Errorf("ids = %q; want the two A dropped, B (equal twice) and C kept", got)
	}
}
