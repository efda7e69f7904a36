// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// TestSyncSlotSpread: 100,000 connections all synchronized at the same
// moment (a bulk import at 9:00) are next due evenly over the following
// day: each hour of the day gets 1/24 of them within ±5% (the old ±10%
// jitter put them all within 2.4 hours of 9:00 the next day).
func TestSyncSlotSpread(t *testing.T) {
	const n = 100_000
	interval := 24 * time.Hour
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var perHour [24]int
	rng := rand.New(rand.NewPCG(14, 24)) // ids like iswigo.NewID's, reproducibly
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xfff,
			rng.Uint32()&0x3fff|0x8000, rng.Uint64()&0xffffffffffff)
		next := syncSlot(id, at, interval)
		if d := next.Sub(at); d < interval/2 || d >= 3*interval/2 {
			t.Fatalf("due %v after the sync; want within [interval/2, 3·interval/2)", d)
		}
		perHour[next.Hour()]++
	}
	want := n / 24
	for h, got := range perHour {
		if got < want*95/100 || got > want*105/100 {
			t.Errorf("hour %02d: %d syncs due; want %d ±5%% (all hours: %v)", h, got, want, perHour)
		}
	}
	t.Logf("syncs due by hour of the day (want %d each): %v", want, perHour)
}

// TestSyncSlotSteady: a connection syncing in its slot is next due exactly
// one interval later, however long the sync took (less than half an
// interval), and its slot does not depend on when it synced.
func TestSyncSlotSteady(t *testing.T) {
	for _, interval := range []time.Duration{time.Millisecond, time.Second, time.Hour, 24 * time.Hour} {
		id := iswigo.NewID()
		first := syncSlot(id, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), interval)
		for i, took := range []time.Duration{0, interval / 10, interval / 3} {
			due := first.Add(time.Duration(i) * interval)
			if next := syncSlot(id, due.Add(took), interval); !next.Equal(due.Add(interval)) {
				t.Fatalf("interval %v, sync taking %v: next due %v; want %v", interval, took, next, due.Add(interval))
			}
		}
		// Another moment of sync gives the same phase.
		other := syncSlot(id, time.Date(2027, 3, 4, 17, 26, 0, 0, time.UTC), interval)
		if other.Sub(first)%interval != 0 {
			t.Fatalf("interval %v: phase moved: %v then %v", interval, first, other)
		}
	}
}
