// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// foldCache remembers folded provider names: a search among 10,000
// providers folds each name once per process.
type foldCache struct{ m sync.Map }

// get returns fold(s), computed once.
func (c *foldCache) get(s string) string {
	if v, ok := c.m.Load(s); ok {
		return v.(string)
	}
	f := fold(s)
	c.m.Store(s, f)
	return f
}

// fold returns s in lower case without accents, its punctuation turned
// into spaces: "Société Générale" and "societe-generale" both give
// "societe generale".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		case r == 'ß':
			return r
		}
		return ' '
	}, out)
}

// searchWords returns the folded words of a query.
func searchWords(q string) []string { return strings.Fields(fold(q)) }

// matchesWords reports whether every word starts a word of folded, in any
// order ("generale soc" matches "societe generale").
func matchesWords(folded string, words []string) bool {
	for _, w := range words {
		if !strings.HasPrefix(folded, w) && !strings.Contains(folded, " "+w) {
			return false
		}
	}
	return true
}
