// SPDX-License-Identifier: Apache-2.0

package simplefin_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fake is a SimpleFIN server written from the protocol
// (https://www.simplefin.org/protocol.html) and its 2.0 draft. Each setup
// token's claim path names a mode: the user name of the access URL it
// gives, which decides how GET /accounts answers.
type fake struct {
	*httptest.Server
	now time.Time // the fixture's sync time: transactions are dated before it

	mu       sync.Mutex
	claims   map[string]int // claims per token
	requests int            // every request
	starts   []int64        // start-date of each GET /accounts
}

func newFake(t *testing.T, now time.Time) *fake {
	f := &fake{now: now, claims: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /simplefin/claim/{token}", f.claim)
	mux.HandleFunc("GET /simplefin/accounts", f.accounts)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		f.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// token returns the setup token of a claim path.
func (f *fake) token(path string) string {
	return base64.StdEncoding.EncodeToString([]byte(f.URL + "/simplefin/claim/" + path))
}

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// claim: "once" works once; "paid" gives 402; "plainhttp" an access URL
// in plain http to a public host; "ok", "revoked", "unpaid", "errauth",
// "errgen", "errors10" and "down" work any number of times (like the
// protocol's demo token) and name the access URL's user; others are 403.
func (f *fake) claim(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	f.mu.Lock()
	f.claims[tok]++
	n := f.claims[tok]
	f.mu.Unlock()
	switch tok {
	case "once":
		if n > 1 {
			http.Error(w, "already claimed", http.StatusForbidden)
			return
		}
		tok = "ok"
	case "paid":
		http.Error(w, "payment required", http.StatusPaymentRequired)
		return
	case "plainhttp":
		w.Write([]byte("http://user:secret@bank.example.com/simplefin"))
		return
	case "ok", "revoked", "unpaid", "errauth", "errgen", "errors10", "down":
	default:
		http.Error(w, "unknown token", http.StatusForbidden)
		return
	}
	u := f.URL[:len("http://")] + tok + ":s3cr3t-" + tok + "@" + f.URL[len("http://"):] + "/simplefin"
	w.Write([]byte(u))
}

func (f *fake) accounts(w http.ResponseWriter, r *http.Request) {
	user, pw, ok := r.BasicAuth()
	if !ok || pw != "s3cr3t-"+user {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	start, _ := strconv.ParseInt(r.URL.Query().Get("start-date"), 10, 64)
	f.mu.Lock()
	f.starts = append(f.starts, start)
	f.mu.Unlock()
	switch user {
	case "revoked":
		http.Error(w, "revoked", http.StatusForbidden)
		return
	case "unpaid":
		http.Error(w, "subscription expired", http.StatusPaymentRequired)
		return
	case "down":
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return
	}
	day := func(n int) int64 { return f.now.Add(-time.Duration(n) * 24 * time.Hour).Unix() }
	var txs []map[string]any
	for _, tx := range []map[string]any{
		{"id": "T-1", "posted": day(6), "amount": "-45.10", "description": "GROCERY  STORE #12"},
		{"id": "T-2", "posted": day(4), "amount": "2500.00", "description": "PAYROLL", "transacted_at": day(5)},
		{"id": "T-3", "posted": day(2), "amount": "-3.5", "description": "Coffee"},
		{"id": "T-4", "posted": int64(0), "amount": "-20.00", "description": "PENDING GAS", "pending": true},
		{"id": "T-5", "posted": day(1), "amount": "-9.990", "description": "Streaming", "pending": true},
	} {
		if p := tx["posted"].(int64); p == 0 || p >= start {
			txs = append(txs, tx)
		}
	}
	set := map[string]any{
		"errors": []string{}, "errlist": []any{},
		"connections": []any{map[string]any{"conn_id": "CON-1", "name": "First Bank", "org_id": "ORG-1", "sfin_url": f.URL + "/simplefin"}},
		"accounts": []any{
			map[string]any{"org": map[string]any{"domain": "firstbank.example", "name": "First Bank", "sfin-url": f.URL + "/simplefin"},
				"id": "ACT-1", "name": "Everyday Checking", "conn_id": "CON-1", "currency": "USD", "balance": "1234.5600",
				"available-balance": "1200.00", "balance-date": day(0), "transactions": txs},
			map[string]any{"id": "ACT-2", "name": "Frequent Flyer", "conn_id": "CON-1",
				"currency": "https://www.example.com/flight-miles", "balance": "12500", "balance-date": day(0),
				"transactions": []any{map[string]any{"id": "M-1", "posted": day(3), "amount": "250", "description": "Flight"}}},
			map[string]any{"id": "ACT-3", "name": "Crypto", "conn_id": "CON-1", "currency": "USD", "balance": "0.00012345",
				"balance-date": day(0), "transactions": []any{}},
			map[string]any{"id": "ACT-4", "name": "Rewards Savings", "conn_id": "CON-1", "currency": "usd", "balance": -0.01,
				"balance-date": float64(day(0)) + 0.5,
				"transactions": []any{map[string]any{"id": "R-1", "posted": float64(day(2)) + 0.25, "amount": 10.5, "description": "Interest"}}},
		},
	}
	switch user {
	case "errauth":
		set["errlist"] = []any{map[string]any{"code": "con.auth", "msg": "Authentication required", "conn_id": "CON-1"}}
		set["errors"] = []string{"Authentication required"}
	case "errgen":
		set["errlist"] = []any{map[string]any{"code": "act.failed", "msg": "Try again later"}}
	case "errors10":
		delete(set, "errlist")
		set["errors"] = []string{"You must reauthenticate."}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(set)
}
