// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"strconv"
	"strings"
)

// Money is an exact amount: Minor units of Currency (cents for EUR).
// Negative amounts are money going out. It never passes through float64.
type Money struct {
	Minor    int64
	Currency string
}

// CurrencyDecimals returns the number of minor-unit digits of an ISO 4217
// currency (2 unless listed).
func CurrencyDecimals(currency string) int {
	switch currency {
	case "JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "XPF", "UGX", "PYG", "RWF", "KMF", "GNF", "DJF", "BIF", "VUV":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// ParseAmount parses a decimal amount such as "-12", "1000.01" or "-0.5"
// (the raw JSON number or a connector's string) into minor units of
// currency. More fractional digits than the currency has, exponents, and
// anything else are EINVALID.
func ParseAmount(s, currency string) (Money, error) {
	raw := s
	invalid := func() (Money, error) { return Money{}, Errorf(EINVALID, "Invalid amount %q", raw) }
	dec := CurrencyDecimals(currency)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > 15 || (hasDot && (frac == "" || len(frac) > dec)) {
		return invalid()
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return invalid()
			}
		}
	}
	frac += strings.Repeat("0", dec-len(frac))
	v, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return invalid()
	}
	if neg {
		v = -v
	}
	return Money{Minor: v, Currency: currency}, nil
}

// String writes m as a JSON number with at most the currency's decimals and
// no trailing zeros: -12, -12.5, 1000.01.
func (m Money) String() string {
	return string(m.AppendJSON(nil))
}

// AppendJSON appends m as a JSON number to b.
func (m Money) AppendJSON(b []byte) []byte {
	dec := CurrencyDecimals(m.Currency)
	v := m.Minor
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var pow int64 = 1
	for i := 0; i < dec; i++ {
		pow *= 10
	}
	b = strconv.AppendInt(b, v/pow, 10)
	frac := v % pow
	if frac == 0 {
		return b
	}
	digits := strconv.FormatInt(frac, 10)
	digits = strings.Repeat("0", dec-len(digits)) + digits
	return append(append(b, '.'), strings.TrimRight(digits, "0")...)
}
