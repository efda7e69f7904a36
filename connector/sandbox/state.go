// SPDX-License-Identifier: Apache-2.0

package sandbox

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/iswigo/iswigo"
)

// historyDays is how far the history goes back before the first sync.
const historyDays = 365

// connState is the sandbox banks' connector state.
type connState struct {
	// Since is the date of the connection's first sync, "YYYY-MM-DD".
	Since string `json:"since"`
}

// history returns the window of a bank sync: from historyDays before the
// connection's first sync to the date of s.Now(). The first sync saves its
// date in the connector state, so later syncs return the same history
// plus the days in between.
func history(ctx context.Context, s iswigo.SyncSession) (start, today day, err error) {
	today = dayOf(iswigo.DateOf(s.Now()))
	var st connState
	if b := s.State(); len(b) > 0 {
		if err := json.Unmarshal(b, &st); err != nil {
			return 0, 0, fmt.Errorf("sandbox: read connector state: %w", err)
		}
	}
	if st.Since == "" {
		b, _ := json.Marshal(connState{Since: today.date().String()})
		if err := s.SaveState(ctx, b); err != nil {
			return 0, 0, err
		}
		return today - historyDays, today, nil
	}
	since, err := iswigo.ParseDate(st.Since)
	if err != nil {
		return 0, 0, fmt.Errorf("sandbox: connector state: bad date %q", st.Since)
	}
	return dayOf(since) - historyDays, today, nil
}
