// SPDX-License-Identifier: Apache-2.0

package simplefin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// state is what a connection keeps between syncs, encrypted by the engine.
// The access URL lives only here: never in credentials, logs or errors.
type state struct {
	// AccessURL is the claimed access URL, credentials included.
	AccessURL string `json:"access_url,omitempty"`
	// SetupHash is the SHA-256 of the setup token AccessURL was claimed
	// with: a new setup token (the connection was edited) is claimed again.
	SetupHash string `json:"setup_hash,omitempty"`
	// LastSync is when the Account Set was last read successfully (Unix).
	LastSync int64 `json:"last_sync,omitempty"`
	// Requests are the Unix times of the requests made in the last 24
	// hours, claims included: at most Options.MaxRequestsPerDay.
	Requests []int64 `json:"requests,omitempty"`
}

func loadState(b []byte) (*state, error) {
	st := &state{}
	if len(b) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("simplefin state: %w", err)
	}
	return st, nil
}

func (st *state) bytes() []byte {
	b, _ := json.Marshal(st) // only strings and integers: cannot fail
	return b
}

func setupHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// spend records one request at now unless max were made in the 24 hours
// before it; it reports whether the request may be made.
func (st *state) spend(now time.Time, max int) bool {
	since := now.Add(-24 * time.Hour).Unix()
	kept := st.Requests[:0]
	for _, at := range st.Requests {
		if at > since && at <= now.Unix() {
			kept = append(kept, at)
		}
	}
	st.Requests = kept
	if len(st.Requests) >= max {
		return false
	}
	st.Requests = append(st.Requests, now.Unix())
	return true
}
