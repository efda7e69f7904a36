// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"strconv"
	"strings"
)

// Range is a page of a list: items From to To inclusive, zero-based, as in
// the query parameter "range=0-19".
type Range struct{ From, To int }

// DefaultRange is used when a request has no range parameter.
var DefaultRange = Range{0, 19}

// MaxRangeSize is the largest number of items one range may return; a
// wider request is clamped.
const MaxRangeSize = 100

// Limit returns the number of items the range asks for.
func (r Range) Limit() int { return r.To - r.From + 1 }

// ParseRange parses "a-b" (a <= b, both non-negative) and clamps it to
// MaxRangeSize items. "" gives DefaultRange. Returns EINVALID otherwise.
func ParseRange(s string) (Range, error) {
	if s == "" {
		return DefaultRange, nil
	}
	a, b, ok := strings.Cut(s, "-")
	from, err1 := strconv.Atoi(a)
	to, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || from < 0 || to < from || len(a) > 9 || len(b) > 9 || a[0] == '+' || b[0] == '+' {
		return Range{}, Errorf(EINVALID, "Invalid range: expected range=<from>-<to> with 0 <= from <= to")
	}
	if to-from+1 > MaxRangeSize {
		to = from + MaxRangeSize - 1
	}
	return Range{from, to}, nil
}
