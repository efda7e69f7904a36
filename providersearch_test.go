// SPDX-License-Identifier: Apache-2.0

package iswigo

import "testing"

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
		{"Any Bank", "", true},
	} {
		if got := MatchesWords(FoldName(c.name), SearchWords(c.query)); got != c.want {
			t.Errorf("%q matches %q = %v; want %v (folded %q)", c.name, c.query, got, c.want, FoldName(c.name))
		}
	}
}
