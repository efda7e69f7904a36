// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"bytes"
	"time"
)

// DateLayout is the wire and storage form of a calendar date.
const DateLayout = "2006-01-02"

// TimeLayout is the wire form of connection and document times (UTC, no zone).
const TimeLayout = "2006-01-02 15:04:05"

// EventTimeLayout is the wire form of event times and token expirations.
const EventTimeLayout = "2006-01-02T15:04:05+00:00"

// Date is a calendar date without time zone, written "YYYY-MM-DD" in JSON.
// The zero Date is written as null.
type Date struct{ t time.Time }

// NewDate returns the date of t in t's location.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the UTC calendar date of t.
func DateOf(t time.Time) Date { t = t.UTC(); return NewDate(t.Year(), t.Month(), t.Day()) }

// ParseDate parses "YYYY-MM-DD" strictly (a real calendar date).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// IsZero reports whether d is the zero (null) date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// String returns "YYYY-MM-DD", or "" for the zero date.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.t.IsZero() {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.t.AppendFormat(b, DateLayout)
	return append(b, '"'), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return Errorf(EINVALID, "Invalid date: expected \"YYYY-MM-DD\"")
	}
	v, err := ParseDate(string(b[1 : len(b)-1]))
	if err != nil {
		return Errorf(EINVALID, "Invalid date: expected \"YYYY-MM-DD\"")
	}
	*d = v
	return nil
}

// AppendTo appends "YYYY-MM-DD" (nothing for the zero date) to b, without
// the cost of time.Format.
func (d Date) AppendTo(b []byte) []byte {
	if d.t.IsZero() {
		return b
	}
	y, m, day := d.t.Date()
	return append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
}
