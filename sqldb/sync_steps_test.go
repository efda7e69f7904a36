// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestSessionSteps: the engine session's step kinds, consent and progress
// messages, without a connector: a redirect resumed by its callback
// (single use, forged and replayed states refused), the person's refusal
// (errno 6), a decoupled step approved and one timing out (errno 5),
// steps in the background (errno 10), progress messages, and a consent
// recorded then announced once.
func TestSessionSteps(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		db.StepPoll, db.CallbackURL, db.DecoupledTimeout = 5*time.Millisecond, "https://iswigo.example/callback", 200*time.Millisecond
		app := newApp(t, db, "steps")
		u := &iswigo.User{AppID: app.ID, Email: "s@example.com", PasswordHash: "x"}
		db.CreateUser(ctx, u)
		c := &iswigo.Connection{AppID: app.ID, UserID: u.ID, ProviderID: 10000, Credentials: map[string]string{}, AutomaticSync: true,
			RedirectURI: "https://app.example/back", PSUIPAddress: "192.0.2.1", PSUUserAgent: "test"}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		provider := iswigo.Provider{ID: 10000, Properties: iswigo.ProviderProperties{WantsPSUContext: true},
			Inputs: map[string]iswigo.InputSet{"sms": {Inputs: []iswigo.Input{{Varname: "code", Type: "text"}}}}}
		begin := func(interactive bool) *sqldb.Sync {
			t.Helper()
			if !interactive {
				if _, err := db.QueueBackgroundSync(ctx, c.ID, time.Now().Add(1000*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			s, err := db.BeginSync(ctx, c.ID, provider, interactive)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		status := func() *iswigo.Connection {
			t.Helper()
			got, err := db.FindConnectionByID(ctx, app.ID, u.ID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}

		s := begin(true)
		if ip, ua := s.PSUContext(); ip != "192.0.2.1" || ua != "test" {
			t.Fatalf("PSU context %q %q", ip, ua)
		}
		if err := s.ProgressMessage(ctx, 10, "accounts_found", 3); err != nil {
			t.Fatal(err)
		}
		if got := status(); got.ProgressKey != "accounts_found" || got.ProgressCount != 3 || got.Progression != 10 {
			t.Fatalf("progress message: %+v", got)
		}
		if err := s.ProgressMessage(ctx, 5, "bogus", 0); err == nil {
			t.Fatal("unknown progress key accepted")
		}
		var state string
		results := make(chan error, 1)
		var query map[string]string
		go func() {
			var err error
			query, err = s.Redirect(ctx, func(ctx context.Context, cb, st string) (string, error) {
				state = st
				return "https://bank.example/authorize?x=1", nil
			})
			results <- err
		}()
		deadline := time.Now().Add(10 * time.Second)
		for got := status(); got.Step != iswigo.StepRedirect; got = status() {
			if time.Now().After(deadline) {
				t.Fatalf("no redirect step: %+v", got)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if got := status(); got.RedirectURL != "https://bank.example/authorize?x=1" || got.Status != iswigo.StatusWaitingUser {
			t.Fatalf("redirect status: %+v", got)
		}
		if _, err := db.CompleteRedirect(ctx, state+"x", map[string]string{"code": "c"}); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("forged state: %v", err)
		}
		back, err := db.CompleteRedirect(ctx, state, map[string]string{"code": "c", "state": state})
		if err != nil || back.RedirectURI != "https://app.example/back" {
			t.Fatalf("callback: %+v %v", back, err)
		}
		if _, err := db.CompleteRedirect(ctx, state, map[string]string{"code": "c"}); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("replayed state: %v", err)
		}
		if err := <-results; err != nil || query["code"] != "c" {
			t.Fatalf("redirect returned %v %v", query, err)
		}
		if got := status(); got.Status != iswigo.StatusInProgress || got.RedirectURL != "" {
			t.Fatalf("after the callback: %+v", got)
		}

		// A form step with the provider's message: shown while it waits, gone after the answer.
		answered := make(chan map[string]string, 1)
		go func() {
			a, err := s.AskWithMessage(ctx, "sms", "A code was sent\nto 06 ** ** ** 42")
			answered <- a
			results <- err
		}()
		for status().Step != "sms" {
			time.Sleep(5 * time.Millisecond)
		}
		if got := status(); got.StepMessage != "A code was sent to 06 ** ** ** 42" || got.Status != iswigo.StatusWaitingUser {
			t.Fatalf("step with a message: %+v", got)
		}
		if _, err := db.AnswerStep(ctx, app.ID, u.ID, c.ID, map[string]string{"code": "1234"}); err != nil {
			t.Fatal(err)
		}
		if a := <-answered; a["code"] != "1234" {
			t.Fatalf("answer %v", a)
		}
		if err := <-results; err != nil {
			t.Fatal(err)
		}
		if got := status(); got.StepMessage != "" || got.Status != iswigo.StatusInProgress {
			t.Fatalf("after the answer: %+v", got)
		}

		// Refused: errno 6.
		go func() {
			_, err := s.Redirect(ctx, func(ctx context.Context, cb, st string) (string, error) {
				state = st
				return "https://bank.example/authorize", nil
			})
			results <- err
		}()
		for status().Step != iswigo.StepRedirect {
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := db.CompleteRedirect(ctx, state, map[string]string{"error": "access_denied", "error_description": "no"}); err != nil {
			t.Fatal(err)
		}
		if err := <-results; iswigo.ErrnoOf(err) != iswigo.ErrnoWrongStepAnswer {
			t.Fatalf("refusal: %v", err)
		}

		// Decoupled: approved at the third poll; then one never approved.
		polls := 0
		err = s.Decoupled(ctx, "Approve in the app", time.Millisecond, func(context.Context) (bool, error) {
			polls++
			if polls == 1 {
				if got := status(); got.Step != iswigo.StepDecoupled || got.StepMessage != "Approve in the app" {
					t.Errorf("decoupled status: %+v", got)
				}
			}
			return polls == 3, nil
		})
		if err != nil || polls != 3 {
			t.Fatalf("decoupled: %v after %d polls", err, polls)
		}
		err = s.Decoupled(ctx, "Approve", time.Millisecond, func(context.Context) (bool, error) { return false, nil })
		if iswigo.ErrnoOf(err) != iswigo.ErrnoStepTimeout {
			t.Fatalf("decoupled timeout: %v", err)
		}

		// Consent: recorded, announced once.
		expires := time.Now().Add(3 * 24 * time.Hour).UTC().Truncate(time.Second)
		if err := s.SetConsentExpiration(ctx, expires); err != nil {
			t.Fatal(err)
		}
		if err := s.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
		if got := status(); !got.ConsentExpiration.Equal(expires) {
			t.Fatalf("consent_expiration %v, want %v", got.ConsentExpiration, expires)
		}
		for i, want := range []int{1, 0} {
			if n, err := db.AnnounceExpiringConsents(ctx, time.Now(), 7*24*time.Hour, 10); err != nil || n != want {
				t.Fatalf("announcement %d: %d %v", i, n, err)
			}
		}

		// In the background: steps fail at once with errno 10, the person is unknown.
		bg := begin(false)
		if ip, _ := bg.PSUContext(); ip != "" {
			t.Fatalf("PSU context in the background: %q", ip)
		}
		if _, err := bg.Redirect(ctx, nil); iswigo.ErrnoOf(err) != iswigo.ErrnoSCARequired {
			t.Fatalf("background redirect: %v", err)
		}
		if err := bg.Decoupled(ctx, "m", time.Millisecond, nil); iswigo.ErrnoOf(err) != iswigo.ErrnoSCARequired {
			t.Fatalf("background decoupled: %v", err)
		}
		if bg.ConsentLapsed() {
			t.Fatal("consent lapsed 3 days early")
		}
	})
}
