// SPDX-License-Identifier: Apache-2.0

package iswigo

import "testing"

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, currency string
		minor        int64
		ok           bool
	}{
		{"-12", "EUR", -1200, true}, {"-12.5", "EUR", -1250, true}, {"1000.01", "EUR", 100001, true},
		{"0.1", "EUR", 10, true}, {"-0.05", "EUR", -5, true}, {"75.40", "EUR", 7540, true},
		{"1234", "JPY", 1234, true}, {"1.5", "JPY", 0, false}, {"1.234", "KWD", 1234, true},
		{"1.234", "EUR", 0, false}, {"1e3", "EUR", 0, false}, {"", "EUR", 0, false}, {"-", "EUR", 0, false},
		{"1.", "EUR", 0, false}, {".5", "EUR", 0, false}, {"+1", "EUR", 0, false}, {"1,5", "EUR", 0, false},
		{"0.1000000000000000055511151231257827", "EUR", 0, false}, {"9999999999999999999", "EUR", 0, false},
	} {
		m, err := ParseAmount(tc.in, tc.currency)
		if (err == nil) != tc.ok || (tc.ok && (m.Minor != tc.minor || m.Currency != tc.currency)) {
			t.Errorf("ParseAmount(%q, %s) = %+v, %v", tc.in, tc.currency, m, err)
		}
	}
}

func TestMoneyString(t *testing.T) {
	for _, tc := range []struct {
		m    Money
		want string
	}{
		{Money{-1200, "EUR"}, "-12"}, {Money{-1250, "EUR"}, "-12.5"}, {Money{100001, "EUR"}, "1000.01"},
		{Money{5, "EUR"}, "0.05"}, {Money{-5, "EUR"}, "-0.05"}, {Money{0, "EUR"}, "0"}, {Money{1234, "JPY"}, "1234"},
		{Money{1230, "KWD"}, "1.23"}, {Money{7540, "EUR"}, "75.4"},
	} {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("%+v.String() = %s; want %s", tc.m, got, tc.want)
		}
		back, err := ParseAmount(tc.want, tc.m.Currency)
		if err != nil || back != tc.m {
			t.Errorf("round trip of %s: %+v %v", tc.want, back, err)
		}
	}
}
