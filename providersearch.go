// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// FoldName returns s as provider searches compare it: in lower case,
// without accents, its punctuation turned into spaces ("Société Générale"
// and "societe-generale" both give "societe generale").
func FoldName(s string) string {
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

// SearchWords returns the folded words of a search query (see
// ProviderFilter.Words).
func SearchWords(q string) []string { return strings.Fields(FoldName(q)) }

// MatchesWords reports whether every word starts a word of folded (a
// FoldName), in any order: "generale soc" matches "societe generale".
func MatchesWords(folded string, words []string) bool {
	for _, w := range words {
		if !strings.HasPrefix(folded, w) && !strings.Contains(folded, " "+w) {
			return false
		}
	}
	return true
}

// ProviderCountryService is implemented by provider services that know
// the countries of their available providers without reading them all
// (the funnel's country filter).
type ProviderCountryService interface {
	// ProviderCountries returns the ISO 3166 codes, in upper case and
	// sorted, of the available providers of type providerType ("" = any).
	ProviderCountries(ctx context.Context, providerType string) ([]string, error)
}
