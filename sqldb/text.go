// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"strings"
	"unicode"
)

// oneLine makes a provider's text fit a status field: control characters
// and runs of white space become one space, and at most max runes are kept.
func oneLine(s string, max int) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if n >= max {
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	return b.String()
}
