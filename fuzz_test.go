// SPDX-License-Identifier: Apache-2.0

package iswigo_test

// Fuzz targets of the parsers of outside input in the root package. Seed
// corpora: testdata/fuzz/<target>/. .ci/fuzz runs each a few seconds.

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/iswigo/iswigo"
)

// FuzzParseRange: a parsed range is within bounds, at most MaxRangeSize
// items, and its canonical form parses to itself.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"", "0-19", "20-39", "0-0", "5-1000", "-1-2", "1-", "+1-2", "00-01", "999999999-999999999", "1e3-2e3", " 1-2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := iswigo.ParseRange(s)
		if err != nil {
			if iswigo.ErrorCode(err) != iswigo.EINVALID {
				t.Fatalf("ParseRange(%q): error %v is not EINVALID", s, err)
			}
			return
		}
		if r.From < 0 || r.To < r.From || r.Limit() > iswigo.MaxRangeSize {
			t.Fatalf("ParseRange(%q) = %+v", s, r)
		}
		again, err := iswigo.ParseRange(fmt.Sprintf("%d-%d", r.From, r.To))
		if err != nil || again != r {
			t.Fatalf("ParseRange(%q) = %+v, its canonical form gives %+v, %v", s, r, again, err)
		}
	})
}

// FuzzParseAmount: a parsed amount writes back (String, AppendJSON) as a
// number that parses to the same minor units, in every currency class.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"0", "-12", "-12.5", "1000.01", "0.001", "1.", ".5", "-", "1e3", "123456789012345", "1234567890123456", "-0.00", "١٢", "9223372036854775807"} {
		for _, c := range []string{"EUR", "JPY", "KWD", ""} {
			f.Add(s, c)
		}
	}
	f.Fuzz(func(t *testing.T, s, currency string) {
		m, err := iswigo.ParseAmount(s, currency)
		if err != nil {
			if iswigo.ErrorCode(err) != iswigo.EINVALID {
				t.Fatalf("ParseAmount(%q, %q): error %v is not EINVALID", s, currency, err)
			}
			return
		}
		out := m.String()
		back, err := iswigo.ParseAmount(out, currency)
		if err != nil || back != m {
			t.Fatalf("ParseAmount(%q, %q) = %+v, written %q, read back %+v, %v", s, currency, m, out, back, err)
		}
		if js := string(m.AppendJSON(nil)); !json.Valid([]byte(js)) {
			t.Fatalf("%+v: AppendJSON wrote %q, not JSON", m, js)
		}
	})
}

// FuzzDate: ParseDate accepts only canonical "YYYY-MM-DD" dates, and the
// JSON form (a string or null) round-trips.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2024-1-1", "2024-01-01T00:00:00Z", "", "null", `"2024-03-01"`, `"x"`, `nul`, `"2024-13-01"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The zero date is null: "0001-01-01" reads as no date.
		if d, err := iswigo.ParseDate(s); err == nil && d.String() != s && !(d.IsZero() && s == "0001-01-01") {
			t.Fatalf("ParseDate(%q) = %s: not canonical", s, d)
		}
		var d iswigo.Date
		if err := json.Unmarshal([]byte(s), &d); err != nil {
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%q: marshal %v: %v", s, d, err)
		}
		var again iswigo.Date
		if err := json.Unmarshal(b, &again); err != nil || again != d {
			t.Fatalf("%q → %s → %v (%v)", s, b, again, err)
		}
	})
}
