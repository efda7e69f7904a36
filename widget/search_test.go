// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"fmt"
	"testing"

	"github.com/iswigo/iswigo"
)

// BenchmarkSearch10k is the match of the funnel's search among 10,000
// provider names folded once, as the registry keeps them
// (docs/benchmarks.md; BenchmarkFunnelSearch is the whole request).
func BenchmarkSearch10k(b *testing.B) {
	names := make([]string, 10000)
	for i := range names {
		names[i] = iswigo.FoldName(fmt.Sprintf("Banque Régionale n°%d de l'Été", i))
	}
	words := iswigo.SearchWords("ete regionale 9999")
	b.ResetTimer()
	for b.Loop() {
		found := 0
		for _, n := range names {
			if iswigo.MatchesWords(n, words) {
				found++
			}
		}
		if found != 1 {
			b.Fatalf("found %d", found)
		}
	}
}
