// SPDX-License-Identifier: Apache-2.0

package sqldb

import (
	"hash/fnv"
	"time"
)

// syncSlot returns when the connection id, synchronized at t, is next due
// for its background sync with interval between syncs.
//
// Each connection has a fixed phase in the interval, a hash of its id, and
// is due at the first moment of its phase at least half an interval after
// t: between interval/2 and 3·interval/2 after t, and, once a connection
// has synced in its phase, exactly one interval later every time. Because
// the phases are spread uniformly, so are the due times, however the
// connections were created: 100,000 connections imported at 9:00 are due
// at an even ~70 a minute over the day, not all around 9:00 the next day.
func syncSlot(id string, t time.Time, interval time.Duration) time.Time {
	h := fnv.New64a()
	h.Write([]byte(id))
	period := int64(interval)
	phase := int64(h.Sum64() % uint64(period))
	earliest := t.UnixNano() + period/2
	// The first k·period + phase at or after earliest (earliest > 0).
	k := (earliest - phase + period - 1) / period
	return time.Unix(0, k*period+phase).UTC()
}
