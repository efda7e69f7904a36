// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		in       string
		from, to int
		ok       bool
	}{
		{"", 0, 19, true}, {"0-19", 0, 19, true}, {"20-39", 20, 39, true}, {"5-5", 5, 5, true},
		{"0-999", 0, 99, true}, {"300-1000", 300, 399, true},
		{"19-0", 0, 0, false}, {"-1-5", 0, 0, false}, {"a-b", 0, 0, false}, {"5", 0, 0, false},
		{"+1-5", 0, 0, false}, {"1-+5", 0, 0, false}, {"1234567890-1234567891", 0, 0, false}, {"0-19-3", 0, 0, false},
	} {
		r, err := ParseRange(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (r.From != tc.from || r.To != tc.to)) {
			t.Errorf("ParseRange(%q) = %+v, %v", tc.in, r, err)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ParseRange(%q): code %s", tc.in, ErrorCode(err))
		}
	}
}

func TestMaskLogin(t *testing.T) {
	for in, want := range map[string]string{
		"123456789": "123###789", "hector@berlioz.com": "hec############com", "987654210": "987###210",
		"abcdef": "a#####", "ab": "a#", "": "", "Élodie-Müller": "Élo#######ler",
	} {
		if got := MaskLogin(in); got != want {
			t.Errorf("MaskLogin(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestInputSetValidate(t *testing.T) {
	set := InputSet{Inputs: []Input{
		{Varname: "login", MinLength: 6, MaxLength: 11, Mask: "numbers"},
		{Varname: "password", MinLength: 4},
		{Varname: "parameter4", Optional: true, MaxLength: 3},
		{Varname: "psu_type", Type: "select", Optional: true, Choices: []InputChoice{{"personal", "Personal"}, {"business", "Business"}}},
		{Varname: "branch", Optional: true, Pattern: `[0-9]{5}`},
	}}
	for _, tc := range []struct {
		values map[string]string
		field  string
	}{
		{map[string]string{"login": "123456", "password": "pass"}, ""},
		{map[string]string{"login": "123456", "password": "pass", "other": "ignored"}, ""},
		{map[string]string{"password": "pass"}, "login"},
		{map[string]string{"login": "12345", "password": "pass"}, "login"},
		{map[string]string{"login": "123456789012", "password": "pass"}, "login"},
		{map[string]string{"login": "12345a", "password": "pass"}, "login"},
		{map[string]string{"login": "123456", "password": "été"}, "password"}, // characters, not bytes
		{map[string]string{"login": "123456", "password": "pass", "parameter4": "long"}, "parameter4"},
		{map[string]string{"login": "123456", "password": "pass", "psu_type": "business"}, ""},
		{map[string]string{"login": "123456", "password": "pass", "psu_type": "Business"}, "psu_type"},
		{map[string]string{"login": "123456", "password": "pass", "branch": "01234"}, ""},
		{map[string]string{"login": "123456", "password": "pass", "branch": "012345"}, "branch"}, // the whole value
		{map[string]string{"login": "123456", "password": "pass", "branch": "x01234"}, "branch"},
	} {
		err := set.Validate(tc.values)
		if tc.field == "" && err != nil || tc.field != "" && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "Invalid "+tc.field)) {
			t.Errorf("Validate(%v) = %v; want field %q", tc.values, err, tc.field)
		}
	}
}

func TestIDs(t *testing.T) {
	prev := ""
	for i := 0; i < 10000; i++ {
		id := NewID()
		if !ValidID(id) || id[14] != '7' || !strings.ContainsRune("89ab", rune(id[19])) {
			t.Fatalf("NewID() = %s: not a UUID v7", id)
		}
		if id <= prev {
			t.Fatalf("ids not increasing: %s after %s", id, prev)
		}
		prev = id
	}
	a, b := NewRandomID(), NewRandomID()
	if !ValidID(a) || a[14] != '4' || a == b {
		t.Fatalf("NewRandomID: %s %s", a, b)
	}
	for _, bad := range []string{"", "not-a-uuid", "01a218d5f1c475b5b8bd385e2f67a192", "01a218d5-f1c4-75b5-b8bd-385e2f67a19g"} {
		if ValidID(bad) {
			t.Errorf("ValidID(%q)", bad)
		}
	}
}

func TestDates(t *testing.T) {
	var d Date
	if err := d.UnmarshalJSON([]byte(`"2020-02-29"`)); err != nil || d.String() != "2020-02-29" {
		t.Fatalf("leap day: %v %v", d, err)
	}
	for _, bad := range []string{`"2019-02-29"`, `"2020-13-01"`, `"20200101"`, `2020`, `"2020-1-1"`} {
		if err := d.UnmarshalJSON([]byte(bad)); ErrorCode(err) != EINVALID {
			t.Errorf("UnmarshalJSON(%s) = %v", bad, err)
		}
	}
	if b, _ := (Date{}).MarshalJSON(); string(b) != "null" {
		t.Errorf("zero date = %s", b)
	}
	if got := DateOf(time.Date(2026, 11, 26, 23, 30, 0, 0, time.FixedZone("", -3*3600))); got.String() != "2026-11-27" {
		t.Errorf("DateOf in UTC = %s", got)
	}
}

func TestErrnoOf(t *testing.T) {
	if ErrnoOf(nil) != 0 || ErrnoOf(Fail(ErrnoLocked, "x")) != ErrnoLocked || ErrnoOf(errors.ErrUnsupported) != ErrnoBug {
		t.Fatal("ErrnoOf")
	}
	if !ErrnoUnavailable.Retryable() || !ErrnoBug.Retryable() || ErrnoWrongCredentials.Retryable() {
		t.Fatal("Retryable")
	}
}
