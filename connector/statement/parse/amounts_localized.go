// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/iswigo/iswigo"
)

// Localized amounts, as QIF and CSV files write them: "1,234.56",
// "-1.234,56", "1 234,56 €", "EUR 12.50", "(12.50)", "12,50-", "1'234.50",
// "12.50 DR".
// A cell is first scanned (localAmountOf: sign, currency mark, digits with
// separators), then the decimal separator of the whole column or file is
// chosen (decimalOf), then each cell is converted exactly (money).

// localAmount is an amount cell with its sign and currency mark removed.
type localAmount struct {
	neg  bool
	body string // digits with separators: "1.234,56"
	// code is the currency the cell names ("€" → EUR, "EUR"); "" = none
	// ("$" and "¥" name no single currency and are only dropped).
	code string
}

// amountSpaces are the spaces banks put inside and around amounts.
const amountSpaces = " \t\u00a0\u202f\u2009"

// localAmountOf scans one amount cell. It returns a reason when the cell
// is not an amount; an empty cell is an empty body and no reason.
func localAmountOf(s string) (localAmount, string) {
	var a localAmount
	if plainAmount(s) {
		a.neg = s[0] == '-'
		a.body = strings.TrimPrefix(s, "-")
		return a, ""
	}
	s = strings.Trim(s, amountSpaces)
	if s == "" {
		return a, ""
	}
	signs := 0
	for changed := true; changed && s != ""; {
		changed = false
		before := s
		switch {
		case s[0] == '-' || s[0] == '+':
			a.neg = a.neg || s[0] == '-'
			s, signs = s[1:], signs+1
		case strings.HasPrefix(s, "\u2212"): // minus sign
			a.neg, s, signs = true, s[len("\u2212"):], signs+1
		case s[len(s)-1] == '-' || s[len(s)-1] == '+': // "12,50-"
			a.neg = a.neg || s[len(s)-1] == '-'
			s, signs = s[:len(s)-1], signs+1
		case len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')':
			a.neg, s, signs = true, s[1:len(s)-1], signs+1
		case len(s) > 2 && (strings.HasSuffix(s, "DR") || strings.HasSuffix(s, "CR")) && !asciiLetter(s[len(s)-3]):
			// "12.50 DR": debit, "12.50 CR": credit (British and Australian banks)
			a.neg = a.neg || s[len(s)-2] == 'D'
			s, signs = s[:len(s)-2], signs+1
		}
		if code, rest, ok := cutCurrencyMark(s); ok {
			if code != "" {
				if a.code != "" && a.code != code {
					return a, "two currencies in one amount"
				}
				a.code = code
			}
			s = rest
		}
		s = strings.Trim(s, amountSpaces)
		changed = s != before && signs <= 1
	}
	if signs > 1 {
		return a, "more than one sign"
	}
	if s == "" {
		return a, "no digits"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c == '.' || c == ',' || c == '\'' || c == ' ' {
			continue
		}
		if r, n := utf8.DecodeRuneInString(s[i:]); r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u2019' {
			i += n - 1
			continue
		}
		return a, "not a number"
	}
	if c := s[0]; c < '0' || c > '9' {
		if !(c == '.' || c == ',') || len(s) < 2 || s[1] < '0' || s[1] > '9' { // ",50" is 0,50
			return a, "not a number"
		}
	}
	if c := s[len(s)-1]; c < '0' || c > '9' {
		return a, "not a number"
	}
	a.body = s
	return a, ""
}

// plainAmount reports the common form that needs no scanning: an
// optional minus, a digit, then digits, points and commas, ending with a
// digit ("-1.234,56").
func plainAmount(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' || s[len(s)-1] < '0' || s[len(s)-1] > '9' {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// currencySymbols are the marks that name one currency.
var currencySymbols = []struct{ mark, code string }{
	{"€", "EUR"}, {"£", "GBP"}, {"$", ""}, {"¥", ""}, {"Fr.", "CHF"},
}

// cutCurrencyMark removes a currency symbol or a three-letter ISO 4217 code
// at either end of s.
func cutCurrencyMark(s string) (code, rest string, ok bool) {
	for _, m := range currencySymbols {
		if r, found := strings.CutPrefix(s, m.mark); found {
			return m.code, r, true
		}
		if r, found := strings.CutSuffix(s, m.mark); found {
			return m.code, r, true
		}
	}
	if len(s) >= 3 && isCurrencyCode3(s[:3]) && (len(s) == 3 || !asciiLetter(s[3])) {
		return s[:3], s[3:], true
	}
	if n := len(s); n >= 3 && isCurrencyCode3(s[n-3:]) && (n == 3 || !asciiLetter(s[n-4])) {
		return s[n-3:], s[:n-3], true
	}
	return "", s, false
}

func isCurrencyCode3(s string) bool {
	return len(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

func asciiLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// decimalVote tells what one amount body says of the decimal separator:
// ',' or '.', or 0 when it says nothing ("12", or "1,234" which may be
// a thousand or one and a fraction). ambiguous reports the latter form,
// and sep its separator.
func decimalVote(body string) (vote byte, ambiguous bool, sep byte) {
	dot, comma := strings.LastIndexByte(body, '.'), strings.LastIndexByte(body, ',')
	switch {
	case dot >= 0 && comma >= 0:
		if dot > comma {
			return '.', false, 0
		}
		return ',', false, 0
	case dot < 0 && comma < 0:
		return 0, false, 0
	}
	c, at := byte('.'), dot
	if comma >= 0 {
		c, at = ',', comma
	}
	if strings.IndexByte(body, c) != at { // "1,234,567": grouping
		return otherDecimal(c), false, 0
	}
	if len(body)-at-1 == 3 && at > 0 && body[0] != '0' { // "0,123" is no thousand
		return 0, true, c
	}
	return c, false, 0
}

func otherDecimal(c byte) byte {
	if c == ',' {
		return '.'
	}
	return ','
}

// decimalChooser gathers the votes of a column or file (add) and chooses
// its decimal separator (choose).
type decimalChooser struct {
	comma, point         int    // lines of the first vote for each, 0 = none
	commaText, pointText string // those amounts
	ambiguous            byte   // separator of the "1,234" forms seen
}

func (d *decimalChooser) add(body string, line int) {
	vote, amb, sep := decimalVote(body)
	switch {
	case vote == ',' && d.comma == 0:
		d.comma, d.commaText = line, body
	case vote == '.' && d.point == 0:
		d.point, d.pointText = line, body
	case amb && d.ambiguous == 0:
		d.ambiguous = sep
	}
}

// choose returns the decimal separator, forced when forced is "," or ".",
// else the one the amounts agree on. Without any vote, "1,234" forms are
// read as thousands (a fraction of three digits fits few currencies).
// Amounts that disagree are a reason naming both lines; line is the
// later of them.
func (d *decimalChooser) choose(forced string) (sep byte, line int, reason string) {
	switch forced {
	case ",", ".":
		return forced[0], 0, ""
	case "":
	default:
		return 0, 0, fmt.Sprintf("decimal separator %q is neither \",\" nor \".\"", forced)
	}
	switch {
	case d.comma > 0 && d.point > 0:
		return 0, max(d.comma, d.point), fmt.Sprintf("amounts mix a decimal comma (line %d: %q) and a decimal point (line %d: %q); give decimal=, or decimal=.",
			d.comma, d.commaText, d.point, d.pointText)
	case d.comma > 0:
		return ',', 0, ""
	case d.point > 0:
		return '.', 0, ""
	case d.ambiguous != 0:
		return otherDecimal(d.ambiguous), 0, ""
	}
	return '.', 0, ""
}

// money converts the amount with the decimal separator dec into currency
// units, exactly: grouping is checked (groups of three digits after the
// first), and more decimals than the currency has is a reason, never a
// rounding. An empty body is a reason too.
func (a localAmount) money(dec byte, currency string) (iswigo.Money, string) {
	if a.body == "" {
		return iswigo.Money{}, "no amount"
	}
	intPart, frac := a.body, ""
	if i := strings.LastIndexByte(a.body, dec); i >= 0 {
		intPart, frac = a.body[:i], a.body[i+1:]
	}
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return iswigo.Money{}, fmt.Sprintf("%q is not a number with the decimal separator %q", a.body, dec)
		}
	}
	if max := iswigo.CurrencyDecimals(currency); len(frac) > max {
		return iswigo.Money{}, fmt.Sprintf("%q has %d decimals, more than %s allows (%d)", a.body, len(frac), currency, max)
	}
	var buf [48]byte
	b := buf[:0]
	if a.neg {
		b = append(b, '-')
	}
	b, ok := appendUngrouped(b, intPart)
	if !ok || strings.IndexByte(intPart, dec) >= 0 || len(b) > 40 {
		return iswigo.Money{}, fmt.Sprintf("%q is not a number with the decimal separator %q (misplaced thousands separator)", a.body, dec)
	}
	if len(b) == 0 || b[len(b)-1] == '-' {
		b = append(b, '0') // ",50"
	}
	if frac != "" {
		b = append(append(b, '.'), frac...)
	}
	m, err := iswigo.ParseAmount(string(b), currency)
	if err != nil {
		return iswigo.Money{}, fmt.Sprintf("%q is out of range", a.body)
	}
	return m, ""
}

// appendUngrouped appends the digits of an integer part to b without its
// thousands separators, checking that they group by three ("1.234.567",
// "1 234", "12'345") and that one kind of separator is used.
func appendUngrouped(b []byte, s string) ([]byte, bool) {
	if len(s) > 1 && s[0] == '0' && (s[1] < '0' || s[1] > '9') {
		return b, false // "0.123" groups nothing
	}
	groupLen, groups := 0, 0
	sep := ""
	for i := 0; i < len(s); {
		c := s[i]
		if c >= '0' && c <= '9' {
			b = append(b, c)
			groupLen++
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		if sep == "" {
			sep = s[i : i+n]
		} else if sep != s[i:i+n] {
			return b, false
		}
		if (groups == 0 && (groupLen == 0 || groupLen > 3)) || (groups > 0 && groupLen != 3) {
			return b, false
		}
		groups++
		groupLen = 0
		i += n
	}
	return b, groups == 0 || groupLen == 3
}
