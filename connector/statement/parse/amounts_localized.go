package parse

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/iswigo/iswigo"
)

// Localized amounts, as QIF and CSV files write them: "1,234.56",
// "-1.234,56", "1 234,56 €", "EUR 12.50", "(12.50)", "12,50-", "1'234.50".
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
		changed = s != before
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
	if len(s) >= 3 && isUpperCode(s[:3]) && (len(s) == 3 || !isLetter(s[3])) {
		return s[:3], s[3:], true
	}
	if n := len(s); n >= 3 && isUpperCode(s[n-3:]) && (n == 3 || !isLetter(s[n-4])) {
		return s[n-3:], s[:n-3], true
	}
	return "", s, false
}

func isUpperCode(s string) bool {
	return len(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

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
	if len(body)-at-1 == 3 && at > 0 {
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
// Amounts that disagree are a reason naming both lines.
func (d *decimalChooser) choose(forced string) (byte, string) {
	switch forced {
	case ",", ".":
		return forced[0], ""
	case "":
	default:
		return 0, fmt.Sprintf("decimal separator %q is neither \",\" nor \".\"", forced)
	}
	switch {
	case d.comma > 0 && d.point > 0:
		return 0, fmt.Sprintf("amounts mix a decimal comma (line %d: %q) and a decimal point (line %d: %q); give decimal=, or decimal=.",
			d.comma, d.commaText, d.point, d.pointText)
	case d.comma > 0:
		return ',', ""
	case d.point > 0:
		return '.', ""
	case d.ambiguous != 0:
		return otherDecimal(d.ambiguous), ""
	}
	return '.', ""
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
	digits, ok := ungroup(intPart)
	if !ok || strings.IndexByte(intPart, dec) >= 0 {
		return iswigo.Money{}, fmt.Sprintf("%q is not a number with the decimal separator %q (misplaced thousands separator)", a.body, dec)
	}
	if max := iswigo.CurrencyDecimals(currency); len(frac) > max {
		return iswigo.Money{}, fmt.Sprintf("%q has %d decimals, more than %s allows (%d)", a.body, len(frac), currency, max)
	}
	if digits == "" {
		digits = "0"
	}
	s := digits
	if frac != "" {
		s += "." + frac
	}
	if a.neg {
		s = "-" + s
	}
	m, err := iswigo.ParseAmount(s, currency)
	if err != nil {
		return iswigo.Money{}, fmt.Sprintf("%q is out of range", a.body)
	}
	return m, ""
}

// ungroup removes thousands separators from an integer part, checking
// that they group by three ("1.234.567", "1 234", "12'345"), and that one
// kind of separator is used.
func ungroup(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	var b strings.Builder
	groupLen, groups := 0, 0
	sep := ""
	for i := 0; i < len(s); {
		c := s[i]
		if c >= '0' && c <= '9' {
			b.WriteByte(c)
			groupLen++
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		if sep == "" {
			sep = s[i : i+n]
		} else if sep != s[i:i+n] {
			return "", false
		}
		if (groups == 0 && (groupLen == 0 || groupLen > 3)) || (groups > 0 && groupLen != 3) {
			return "", false
		}
		groups++
		groupLen = 0
		i += n
	}
	if groups > 0 && groupLen != 3 {
		return "", false
	}
	return b.String(), true
}
