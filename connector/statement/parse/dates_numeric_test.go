// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
)

func TestWrittenDates(t *testing.T) {
	for _, tc := range []struct {
		in, order string
		want      iswigo.Date
	}{
		{"31/01/2026", "dmy", iswigo.NewDate(2026, 1, 31)},
		{"01/31/2026", "mdy", iswigo.NewDate(2026, 1, 31)},
		{"31.01.2026", "dmy", iswigo.NewDate(2026, 1, 31)},
		{"31-01-26", "dmy", iswigo.NewDate(2026, 1, 31)},
		{"1/31/99", "mdy", iswigo.NewDate(1999, 1, 31)},
		{"2026-01-31", "", iswigo.NewDate(2026, 1, 31)},
		{"2026-1-5", "mdy", iswigo.NewDate(2026, 1, 5)},
		{"20260131", "", iswigo.NewDate(2026, 1, 31)},
		{"1/ 2'26", "mdy", iswigo.NewDate(2026, 1, 2)},
		{"12/31'99", "mdy", iswigo.NewDate(2099, 12, 31)}, // the apostrophe is Quicken's mark of 20xx
		{"02-Jan-2026", "", iswigo.NewDate(2026, 1, 2)},
		{"2 janv. 2026", "", iswigo.NewDate(2026, 1, 2)},
		{"2. März 2026", "", iswigo.NewDate(2026, 3, 2)},
		{"15 déc 2025", "", iswigo.NewDate(2025, 12, 15)},
		{"Jan 2, 2026", "", iswigo.NewDate(2026, 1, 2)},
		{"29 Feb 2024", "", iswigo.NewDate(2024, 2, 29)},
		{"2026-01-31 10:15:00", "", iswigo.NewDate(2026, 1, 31)},
		{"2026-01-31T10:15:00Z", "", iswigo.NewDate(2026, 1, 31)},
		{"31/01/2026 23:59", "dmy", iswigo.NewDate(2026, 1, 31)},
		{"26/01/31", "ymd", iswigo.NewDate(2026, 1, 31)},
	} {
		d, ok := scanDate(tc.in)
		if !ok {
			t.Errorf("scanDate(%q) refused", tc.in)
			continue
		}
		got, reason := d.date(tc.order)
		if reason != "" || got != tc.want {
			t.Errorf("%q (%s) = %v, %q; want %v", tc.in, tc.order, got, reason, tc.want)
		}
	}
}

func TestWrittenDatesRefused(t *testing.T) {
	for _, in := range []string{"", "Total", "Solde au 31/01/2026", "31/01", "2026/01", "123/01/2026", "31/01/202", "Kontostand vom 31.01.2026:", "1/2/3/4", "31 Foo 2026", "2026-001-01"} {
		if d, ok := scanDate(in); ok {
			t.Errorf("scanDate(%q) = %+v; want refused", in, d)
		}
	}
	for _, tc := range []struct{ in, order, reason string }{
		{"31/02/2026", "dmy", "no day 31 in February 2026"},
		{"29/02/2025", "dmy", "no day 29"},
		{"13/13/2026", "dmy", "no month 13"},
		{"00/01/2026", "dmy", "no day 0"},
		{"1066-10-14", "", "year 1066 out of range"},
		{"01/02/2026", "", "date order unknown"},
	} {
		d, ok := scanDate(tc.in)
		if !ok {
			t.Errorf("scanDate(%q) refused", tc.in)
			continue
		}
		if _, reason := d.date(tc.order); !strings.Contains(reason, tc.reason) {
			t.Errorf("%q (%s): %q; want %q", tc.in, tc.order, reason, tc.reason)
		}
	}
}

func TestDateOrderOf(t *testing.T) {
	lines := func(dates ...string) []datedLine {
		var out []datedLine
		for i, s := range dates {
			d, _ := scanDate(s)
			out = append(out, datedLine{d: d, line: i + 1, text: s})
		}
		return out
	}
	for _, tc := range []struct {
		dates  []string
		forced string
		want   string
		line   int
		reason string
	}{
		{[]string{"01/02/2026", "13/02/2026"}, "", "dmy", 0, ""},
		{[]string{"01/02/2026", "02/13/2026"}, "", "mdy", 0, ""},
		{[]string{"01.02.2026"}, "", "dmy", 0, ""},
		{[]string{"2026-01-02", "02-Jan-2026"}, "", "", 0, ""},
		{[]string{"01/02/2026", "03/04/2026"}, "", "", 1, "?date_order=dmy|mdy"},
		{[]string{"01/02/2026"}, "mdy", "mdy", 0, ""},
		{[]string{"13/02/2026", "02/13/2026"}, "", "", 2, `"13/02/2026" (line 1) is day/month/year but "02/13/2026" (line 2) is month/day/year`},
		{[]string{"01/02/2026"}, "xyz", "", 0, "not dmy, mdy or ymd"},
	} {
		order, line, reason := dateOrderOf(lines(tc.dates...), tc.forced)
		if order != tc.want || line != tc.line || !strings.Contains(reason, tc.reason) || (tc.reason == "") != (reason == "") {
			t.Errorf("%q forced %q = %q line %d %q; want %q line %d %q", tc.dates, tc.forced, order, line, reason, tc.want, tc.line, tc.reason)
		}
	}
	for layout, want := range map[string]string{"DD/MM/YYYY": "dmy", "MM/DD/YY": "mdy", "YYYY-MM-DD": "ymd", "dd.mm.yyyy": "dmy"} {
		if got, ok := dateOrderOfLayout(layout); !ok || got != want {
			t.Errorf("dateOrderOfLayout(%q) = %q, %v; want %q", layout, got, ok, want)
		}
	}
	if _, ok := dateOrderOfLayout("JJ/MM/AAAA"); ok {
		t.Error("JJ/MM/AAAA accepted")
	}
}

func TestDetectUTF16AndQIFCSV(t *testing.T) {
	utf16 := []byte("\xff\xfeD\x00a\x00t\x00e\x00,\x00A\x00m\x00o\x00u\x00n\x00t\x00\n\x00")
	for in, want := range map[string]Format{
		string(utf16):                    CSV,
		"!Option:AutoSwitch\n!Account\n": QIF,
		"!type:CCard\n":                  QIF,
		"Buchungstag;Betrag\n":           CSV,
	} {
		if got, err := Detect([]byte(in)); err != nil || got != want {
			t.Errorf("Detect(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
