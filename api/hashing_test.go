// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/auth"
)

// TestPasswordHashingBusy: with every hashing slot taken and the queue's
// wait spent, /v1/authenticate and POST /v1/users answer 503 with
// Retry-After, and work again once a slot frees up.
func TestPasswordHashingBusy(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		_, _ = e.user(t, e.psd2, "busy@example.com")
		limiter := auth.NewHashLimiter(auth.HashLimiterParams{Concurrency: 1, Queue: 1, Wait: 20 * time.Millisecond})
		v := e.variant(t, func(s *api.Server) { s.PasswordHashing = limiter })
		release, taken := make(chan struct{}), make(chan struct{})
		go limiter.Do(context.Background(), func() { close(taken); <-release })
		<-taken
		for _, tc := range []struct{ target, body string }{
			{"/v1/authenticate", `{"email":"busy@example.com","password":"Str0ng!Passw0rd"}`},
			{"/v1/users", `{"email":"new@example.com","password":"Str0ng!Passw0rd"}`},
		} {
			status, h, body := v.raw(t, "POST", tc.target, signed(e.psd2App, "POST", tc.target, []byte(tc.body)), []byte(tc.body))
			wantEnvelope(t, status, body, 503, "Too many password checks")
			if h.Get("Retry-After") != "1" {
				t.Errorf("%s: Retry-After %q, want 1", tc.target, h.Get("Retry-After"))
			}
		}
		close(release)
		c := v.client(t, e.psd2App)
		if _, err := c.Authenticate(context.Background(), "busy@example.com", "Str0ng!Passw0rd"); err != nil {
			t.Fatalf("after the slot freed up: %v", err)
		}
		var u api.User
		status, _, body := v.raw(t, "POST", "/v1/users", signed(e.psd2App, "POST", "/v1/users", []byte(`{"email":"new@example.com","password":"Str0ng!Passw0rd"}`)), []byte(`{"email":"new@example.com","password":"Str0ng!Passw0rd"}`))
		if status != 201 || json.Unmarshal(body, &u) != nil || u.Email != "new@example.com" {
			t.Fatalf("create after the slot freed up: %d %s", status, body)
		}
	})
}
