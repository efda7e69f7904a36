// SPDX-License-Identifier: Apache-2.0

package enablebanking

import (
	"encoding/json"
	"time"
)

// state is what a connection keeps between syncs (encrypted by the
// engine): the Enable Banking session and its accounts.
type state struct {
	SessionID  string         `json:"session_id"`
	ValidUntil time.Time      `json:"valid_until"`
	Accounts   []stateAccount `json:"accounts"`
	// LastSync is the day of the last successful sync: the next asks for
	// transactions from it, minus an overlap.
	LastSync string `json:"last_sync,omitempty"`
}

// stateAccount is one account of the session: its uid in this session
// and what the session's answer said of it (balances and transactions do
// not repeat it).
type stateAccount struct {
	UID          string `json:"uid"`
	Key          string `json:"key"` // stable across sessions
	Name         string `json:"name"`
	IBAN         string `json:"iban,omitempty"`
	Number       string `json:"number,omitempty"`
	Currency     string `json:"currency"`
	Type         string `json:"type"`
	Professional bool   `json:"professional,omitempty"`
}

func loadState(b []byte) state {
	var s state
	if len(b) > 0 {
		json.Unmarshal(b, &s) // an unreadable state is no state: authorize again
	}
	return s
}
