// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"strings"
	"testing"
)

func TestLocalAmounts(t *testing.T) {
	for _, tc := range []struct {
		in       string
		dec      byte
		currency string
		minor    int64
		code     string
	}{
		{"1,234.56", '.', "EUR", 123456, ""},
		{"-1.234,56", ',', "EUR", -123456, ""},
		{"1 234,56 €", ',', "EUR", 123456, "EUR"},
		{"-12,50\u00a0€", ',', "EUR", -1250, "EUR"},
		{"€-12,50", ',', "EUR", -1250, "EUR"},
		{"EUR 12.50", '.', "EUR", 1250, "EUR"},
		{"12.50 USD", '.', "USD", 1250, "USD"},
		{"(12.50)", '.', "EUR", -1250, ""},
		{"($1,012.50)", '.', "USD", -101250, ""},
		{"12,50-", ',', "EUR", -1250, ""},
		{"+3,00", ',', "EUR", 300, ""},
		{"\u22125.00", '.', "EUR", -500, ""},
		{"1'234.50", '.', "CHF", 123450, ""},
		{"CHF 1'234.50", '.', "CHF", 123450, "CHF"},
		{"1\u202f234,5", ',', "EUR", 123450, ""},
		{"£2,000.00", '.', "GBP", 200000, "GBP"},
		{",50", ',', "EUR", 50, ""},
		{"-,50", ',', "EUR", -50, ""},
		{"1.234.567", ',', "EUR", 123456700, ""},
		{"1,200", '.', "JPY", 1200, ""},
		{"1.234", '.', "KWD", 1234, ""},
		{"0", '.', "EUR", 0, ""},
		{"12.50 CR", '.', "AUD", 1250, ""},
		{"12.50 DR", '.', "AUD", -1250, ""},
		{"12.50DR", '.', "AUD", -1250, ""},
	} {
		a, reason := localAmountOf(tc.in)
		if reason != "" {
			t.Errorf("localAmountOf(%q): %s", tc.in, reason)
			continue
		}
		m, reason := a.money(tc.dec, tc.currency)
		if reason != "" || m.Minor != tc.minor || m.Currency != tc.currency || a.code != tc.code {
			t.Errorf("%q with %q in %s = %v (code %q), %q; want %d (code %q)", tc.in, tc.dec, tc.currency, m, a.code, reason, tc.minor, tc.code)
		}
	}
}

func TestLocalAmountsRefused(t *testing.T) {
	for _, tc := range []struct {
		in     string
		dec    byte
		reason string
	}{
		{"abc", '.', "not a number"},
		{"12.50.", '.', "not a number"},
		{"--12", '.', "more than one sign"},
		{"-(12)", '.', "more than one sign"},
		{"€ $", '.', "no digits"},
		{"EUR 12 USD", '.', "two currencies"},
		{"1.5e3", '.', "not a number"},
		{"12.345", '.', "3 decimals, more than EUR allows (2)"},
		{"1,5,0", ',', "misplaced thousands"},
		{"12,34", '.', "misplaced thousands"},
		{"1.23,45", ',', "misplaced thousands"},
		{"1 234.567,5", ',', "misplaced thousands"},
		{"0,123", '.', "misplaced thousands"},
		{"1234.567,50", ',', "misplaced thousands"},
		{"1.234 567,50", ',', "misplaced thousands"},
		{"99999999999999999", '.', "out of range"},
		{"", '.', "no amount"},
	} {
		a, reason := localAmountOf(tc.in)
		if reason == "" {
			_, reason = a.money(tc.dec, "EUR")
		}
		if !strings.Contains(reason, tc.reason) {
			t.Errorf("%q with %q: reason %q; want %q", tc.in, tc.dec, reason, tc.reason)
		}
	}
}

func TestDecimalChooser(t *testing.T) {
	for _, tc := range []struct {
		amounts []string
		forced  string
		want    byte
		reason  string
	}{
		{[]string{"12", "1,234", "3,5"}, "", ',', ""},
		{[]string{"1,234", "1,000"}, "", '.', ""}, // thousands, not three decimals
		{[]string{"1.234", "12"}, "", ',', ""},    // likewise, in a decimal comma file
		{[]string{"1.234,56", "-3"}, "", ',', ""},
		{[]string{"1,234,567", "8"}, "", '.', ""},
		{[]string{"12", "7"}, "", '.', ""},
		{[]string{"0,125"}, "", ',', ""},
		{[]string{"12,5", "12.5"}, "", 0, "mix a decimal comma (line 1: \"12,5\") and a decimal point (line 2: \"12.5\")"},
		{[]string{"12,5", "12.5"}, ".", '.', ""},
		{[]string{"12"}, ";", 0, "neither"},
	} {
		var d decimalChooser
		for i, a := range tc.amounts {
			d.add(a, i+1)
		}
		got, _, reason := d.choose(tc.forced)
		if got != tc.want || !strings.Contains(reason, tc.reason) || (tc.reason == "") != (reason == "") {
			t.Errorf("%q forced %q = %q, %q; want %q, %q", tc.amounts, tc.forced, got, reason, tc.want, tc.reason)
		}
	}
}
