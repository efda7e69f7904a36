// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
)

func TestNormalizedWording(t *testing.T) {
	for _, w := range []string{"CARTE 12/03 MONOPRIX", "  carte\t12/03   monoprix ", "Chèque n 9990004", "  chèque  N 9990004", "", "   "} {
		want := strings.Join(strings.Fields(strings.ToUpper(w)), " ")
		if got := string(appendNormalizedWording(nil, w)); got != want {
			t.Errorf("normalize(%q) = %q; want %q", w, got, want)
		}
	}
}

func TestDateAppendTo(t *testing.T) {
	for _, d := range []iswigo.Date{iswigo.NewDate(2026, 1, 2), iswigo.NewDate(999, 12, 31), {}} {
		if got := string(d.AppendTo(nil)); got != d.String() {
			t.Errorf("AppendTo = %q; want %q", got, d.String())
		}
	}
}

// TestTransactionKeys: stable across syncs, distinct for repeats, blind
// to cosmetic wording changes, and the provider's id when it has one.
func TestTransactionKeys(t *testing.T) {
	tx := iswigo.ConnectorTransaction{OperationDate: iswigo.NewDate(2026, 3, 12), Amount: iswigo.Money{Minor: -150}, Wording: "CAFE DU COIN"}
	s1 := &Sync{occurrences: map[occurrenceKey]int{}}
	a, b := s1.transactionKey("A", &tx), s1.transactionKey("A", &tx)
	other := s1.transactionKey("B", &tx)
	s2 := &Sync{occurrences: map[occurrenceKey]int{}}
	cosmetic := tx
	cosmetic.Wording = " cafe  du coin"
	if a == b || a != other || s2.transactionKey("A", &cosmetic) != a || len(a) != 34 || !strings.HasPrefix(a, "f:") {
		t.Fatalf("keys %s %s %s", a, b, other)
	}
	tx.ProviderID = "X42"
	if k := s1.transactionKey("A", &tx); k != "p:X42" {
		t.Fatalf("provider id key %s", k)
	}
}
