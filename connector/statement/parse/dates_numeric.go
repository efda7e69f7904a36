// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// Numeric and named-month dates, as QIF and CSV files write them:
// "31/01/2026", "01/31/26", "31.01.2026", "2026-01-31", "20260131",
// Quicken's "1/ 2'26", "02-Jan-2026", "2 janv. 2026", "Jan 2, 2026", with
// an optional time after them. Whether "01/02/2026" is the 1st of February
// or January the 2nd is decided for a whole file (dateOrderOf), then each
// date is resolved (date).

// Date orders, as Options.DateOrder names them.
const (
	orderDMY = "dmy"
	orderMDY = "mdy"
	orderYMD = "ymd"
)

// writtenDate is a date scanned but not yet resolved.
type writtenDate struct {
	// kind: 'y' year first (a=year, b=month, c=day); 'n' two leading
	// numbers whose order the file decides (a, b, then year c); 'm' named
	// month (a=day, b=month, c=year).
	kind    byte
	a, b, c int
	// shortYear: the year was written with two digits; quicken: with an
	// apostrophe (Quicken's mark of the years 2000 and later); dotted:
	// with dots, as day-first countries write dates ("31.01.2026"): month
	// first with dots is not written.
	shortYear, quicken, dotted bool
}

// scanDate reads the shape of a date; ok is false when s does not look
// like a date at all (a summary line's text, a header).
func scanDate(s string) (writtenDate, bool) {
	var d writtenDate
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ':'); i > 0 { // a time: "2026-01-31 10:15:00", "2026-01-31T10:15Z"
		j := strings.LastIndexAny(s[:i], " T")
		if j <= 0 {
			return d, false
		}
		s = strings.TrimSpace(s[:j])
	}
	if len(s) == 8 && onlyDigits(s) { // 20260131
		d.kind, d.a, d.b, d.c = 'y', atoiDigits(s[:4]), atoiDigits(s[4:6]), atoiDigits(s[6:])
		return d, true
	}
	d.quicken = strings.IndexByte(s, '\'') >= 0
	d.dotted = strings.IndexByte(s, '.') >= 0
	var parts [3]string
	n := 0
	for i := 0; i < len(s); {
		for i < len(s) && isDateSeparator(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isDateSeparator(s[j]) {
			j++
		}
		if j > i {
			if n == 3 {
				return d, false
			}
			parts[n] = s[i:j]
			n++
		}
		i = j
	}
	if n != 3 {
		return d, false
	}
	named := -1
	for i, p := range parts {
		if !onlyDigits(p) {
			if named >= 0 || monthNamed(p) == 0 {
				return d, false
			}
			named = i
		} else if len(p) > 4 {
			return d, false
		}
	}
	switch named {
	case 0: // Jan 2, 2026
		d.kind, d.b, d.a, d.c = 'm', monthNamed(parts[0]), atoiDigits(parts[1]), atoiDigits(parts[2])
		d.shortYear = len(parts[2]) <= 2
	case 1: // 02-Jan-2026
		d.kind, d.a, d.b, d.c = 'm', atoiDigits(parts[0]), monthNamed(parts[1]), atoiDigits(parts[2])
		d.shortYear = len(parts[2]) <= 2
	case 2:
		return d, false
	default:
		if len(parts[0]) == 4 { // 2026-01-31
			d.kind, d.a, d.b, d.c = 'y', atoiDigits(parts[0]), atoiDigits(parts[1]), atoiDigits(parts[2])
			if len(parts[1]) > 2 || len(parts[2]) > 2 {
				return d, false
			}
			return d, true
		}
		if len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) == 3 {
			return d, false
		}
		d.kind, d.a, d.b, d.c = 'n', atoiDigits(parts[0]), atoiDigits(parts[1]), atoiDigits(parts[2])
		d.shortYear = len(parts[2]) <= 2
	}
	return d, true
}

func isDateSeparator(c byte) bool {
	return c == '/' || c == '.' || c == '-' || c == ' ' || c == '\'' || c == ','
}

// orderEvidence is the order the date alone proves: "dmy" when its first
// number cannot be a month or it is written with dots, "mdy" when its
// second number cannot be a month; "" when both orders fit (or the order
// is not in question).
func (d writtenDate) orderEvidence() string {
	if d.kind != 'n' {
		return ""
	}
	switch {
	case d.b > 12 && d.a <= 12:
		return orderMDY
	case d.a > 12 && d.b <= 12, d.dotted:
		return orderDMY
	}
	return ""
}

// date resolves d with the file's order ("dmy", "mdy" or "ymd"; ignored
// unless d.kind is 'n'). The reason says why it is no calendar date.
func (d writtenDate) date(order string) (iswigo.Date, string) {
	var y, m, day int
	switch d.kind {
	case 'y', 'm':
		y, m, day = d.a, d.b, d.c
		if d.kind == 'm' {
			y, day = d.c, d.a
		}
	default:
		switch order {
		case orderDMY:
			day, m, y = d.a, d.b, d.c
		case orderMDY:
			m, day, y = d.a, d.b, d.c
		case orderYMD:
			y, m, day = d.a, d.b, d.c
		default:
			return iswigo.Date{}, "date order unknown"
		}
	}
	short := d.shortYear || d.quicken
	if d.kind == 'n' && order == orderYMD {
		short = y < 100
	}
	if short && y < 100 {
		switch {
		case d.quicken || y < 70:
			y += 2000
		default:
			y += 1900
		}
	}
	if y < 1900 || y > 2199 {
		return iswigo.Date{}, fmt.Sprintf("year %d out of range", y)
	}
	if m < 1 || m > 12 {
		return iswigo.Date{}, fmt.Sprintf("no month %d", m)
	}
	if day < 1 || day > monthDays(y, time.Month(m)) {
		return iswigo.Date{}, fmt.Sprintf("no day %d in %s %d", day, time.Month(m), y)
	}
	return iswigo.NewDate(y, time.Month(m), day), ""
}

func monthDays(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// datedLine is a scanned date and the line it is on.
type datedLine struct {
	d    writtenDate
	line int
	text string
}

// dateOrderOf decides the order of a file's "n" dates: forced when given
// ("dmy", "mdy", "ymd"), else what the dates prove. Dates proving both
// orders, or none while some are ambiguous, are a reason (with the line).
// order is "" when no date needs one.
func dateOrderOf(dates []datedLine, forced string) (order string, line int, reason string) {
	switch forced {
	case orderDMY, orderMDY, orderYMD:
		return forced, 0, ""
	case "":
	default:
		return "", 0, fmt.Sprintf("date_order %q is not dmy, mdy or ymd", forced)
	}
	var dmy, mdy, ambiguous *datedLine
	for i := range dates {
		dl := &dates[i]
		if dl.d.kind != 'n' {
			continue
		}
		switch dl.d.orderEvidence() {
		case orderDMY:
			if dmy == nil {
				dmy = dl
			}
		case orderMDY:
			if mdy == nil {
				mdy = dl
			}
		default:
			if ambiguous == nil {
				ambiguous = dl
			}
		}
	}
	switch {
	case dmy != nil && mdy != nil:
		first, second := dmy, mdy
		if mdy.line < dmy.line {
			first, second = mdy, dmy
		}
		return "", second.line, fmt.Sprintf("dates disagree on their order: %q (line %d) is %s but %q (line %d) is %s",
			first.text, first.line, orderName(first.d.orderEvidence()), second.text, second.line, orderName(second.d.orderEvidence()))
	case dmy != nil:
		return orderDMY, 0, ""
	case mdy != nil:
		return orderMDY, 0, ""
	case ambiguous != nil:
		return "", ambiguous.line, fmt.Sprintf("dates such as %q can be day/month or month/day and no date in the file tells; give ?date_order=dmy|mdy", ambiguous.text)
	}
	return "", 0, ""
}

func orderName(o string) string {
	switch o {
	case orderDMY:
		return "day/month/year"
	case orderMDY:
		return "month/day/year"
	}
	return "year/month/day"
}

// dateOrderOfLayout turns a date_format such as "DD/MM/YYYY" or
// "MM.DD.YY" into a date order.
func dateOrderOfLayout(layout string) (string, bool) {
	u := strings.ToUpper(layout)
	d, m, y := strings.Index(u, "DD"), strings.Index(u, "MM"), strings.Index(u, "YY")
	if d < 0 || m < 0 || y < 0 {
		return "", false
	}
	switch {
	case y < m && m < d:
		return orderYMD, true
	case d < m && m < y:
		return orderDMY, true
	case m < d && d < y:
		return orderMDY, true
	}
	return "", false
}

// monthNames are month names and abbreviations in English, French and
// German, accents folded, lower case.
var monthNames = map[string]int{
	"jan": 1, "janv": 1, "january": 1, "janvier": 1, "januar": 1, "jaen": 1, "janner": 1,
	"feb": 2, "fev": 2, "fevr": 2, "february": 2, "fevrier": 2, "februar": 2,
	"mar": 3, "mars": 3, "march": 3, "marz": 3, "maerz": 3, "mrz": 3,
	"apr": 4, "avr": 4, "april": 4, "avril": 4,
	"may": 5, "mai": 5,
	"jun": 6, "juin": 6, "june": 6, "juni": 6,
	"jul": 7, "juil": 7, "july": 7, "juillet": 7, "juli": 7,
	"aug": 8, "aou": 8, "aout": 8, "august": 8,
	"sep": 9, "sept": 9, "september": 9, "septembre": 9,
	"oct": 10, "okt": 10, "october": 10, "octobre": 10, "oktober": 10,
	"nov": 11, "november": 11, "novembre": 11,
	"dec": 12, "dez": 12, "december": 12, "decembre": 12, "dezember": 12,
}

// monthNamed returns the month a name means (1–12), or 0.
func monthNamed(s string) int {
	return monthNames[foldAccents(strings.TrimSuffix(s, "."))]
}

func onlyDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoiDigits converts a string of at most 8 digits.
func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// foldAccents lower-cases s and removes accents (é → e, ä → a, ß → ss), so
// that names written with or without them compare equal.
func foldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || (s[i] >= 'A' && s[i] <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := accentFold[r]; ok {
			b.WriteString(f)
			continue
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

var accentFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe"}
	for _, g := range []struct{ to, from string }{
		{"a", "àáâãäåÀÁÂÃÄÅ"}, {"c", "çÇ"}, {"e", "èéêëÈÉÊË"}, {"i", "ìíîïÌÍÎÏ"},
		{"n", "ñÑ"}, {"o", "òóôõöøÒÓÔÕÖØ"}, {"u", "ùúûüÙÚÛÜ"}, {"y", "ýÿÝ"},
	} {
		for _, r := range g.from {
			m[r] = g.to
		}
	}
	return m
}()
