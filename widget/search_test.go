// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"fmt"
	"testing"
)

func TestFoldAndMatch(t *testing.T) {
	for _, c := range []struct {
		name, query string
		want        bool
	}{
		{"Société Générale", "societe generale", true},
		{"Société Générale", "GÉNÉRALE soc", true},
		{"Société Générale", "generale  societe", true},
		{"Crédit Agricole d'Île-de-France", "ile de france credit", true},
		{"Crédit Agricole", "agricole mutuel", false},
		{"BNP Paribas", "paribas", true},
		{"BNP Paribas", "aribas", false},
		{"Caisse d'Épargne", "epargne", true},
		{"Straße Bank", "straße", true},
	} {
		if got := matchesWords(fold(c.name), searchWords(c.query)); got != c.want {
			t.Errorf("%q matches %q = %v; want %v (folded %q)", c.name, c.query, got, c.want, fold(c.name))
		}
	}
}

// BenchmarkSearch10k is the funnel's search among 10,000 provider names,
// folded once (docs/benchmarks.md).
func BenchmarkSearch10k(b *testing.B) {
	var c foldCache
	names := make([]string, 10000)
	for i := range names {
		names[i] = fmt.Sprintf("Banque Régionale n°%d de l'Été", i)
	}
	words := searchWords("ete regionale 9999")
	for _, n := range names {
		c.get(n)
	}
	b.ResetTimer()
	for b.Loop() {
		found := 0
		for _, n := range names {
			if matchesWords(c.get(n), words) {
				found++
			}
		}
		if found != 1 {
			b.Fatalf("found %d", found)
		}
	}
}
