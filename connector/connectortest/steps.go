// SPDX-License-Identifier: Apache-2.0

package connectortest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// StepsSession extends Session with the step kinds that are not forms
// (redirect, decoupled), consent and the person present, as the engine's
// session has them.
type StepsSession struct {
	*Session
	// CallbackURL is given to redirect steps. Defaults to
	// "https://iswigo.example/callback".
	CallbackURL string
	// RedirectFunc plays the person at the provider: it gets the
	// authorization URL and the state, and returns the callback's query.
	// Nil means nobody comes back: ErrnoStepTimeout.
	RedirectFunc func(authorizeURL, state string) (map[string]string, error)
	// DecoupledPolls bounds the polls of a decoupled step (then
	// ErrnoStepTimeout). Defaults to 500.
	DecoupledPolls int
	// PSUIP and PSUUserAgent are what PSUContext returns when Present.
	PSUIP, PSUUserAgent string

	// Redirects lists the authorization URLs the connector sent the person to.
	Redirects []string
	// Messages lists the messages of the decoupled steps.
	Messages []string
	// ConsentExpiration is what SetConsentExpiration recorded.
	ConsentExpiration time.Time
}

var (
	_ iswigo.RedirectSession   = (*StepsSession)(nil)
	_ iswigo.DecoupledSession  = (*StepsSession)(nil)
	_ iswigo.ConsentSession    = (*StepsSession)(nil)
	_ iswigo.PSUContextSession = (*StepsSession)(nil)
)

// Redirect implements iswigo.RedirectSession as the engine does: errno 10
// when nobody is present, errno 6 when the callback carries an error and
// no code.
func (s *StepsSession) Redirect(ctx context.Context, start func(ctx context.Context, callbackURL, state string) (string, error)) (map[string]string, error) {
	s.Asked = append(s.Asked, iswigo.StepRedirect)
	if !s.Present {
		return nil, iswigo.Fail(iswigo.ErrnoSCARequired, "redirect step in the background")
	}
	cb := s.CallbackURL
	if cb == "" {
		cb = "https://iswigo.example/callback"
	}
	var b [16]byte
	rand.Read(b[:])
	state := hex.EncodeToString(b[:])
	authorize, err := start(ctx, cb, state)
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(authorize); err != nil || u.Host == "" {
		return nil, fmt.Errorf("connectortest: authorization URL %q is not absolute", authorize)
	}
	s.Redirects = append(s.Redirects, authorize)
	if s.RedirectFunc == nil {
		return nil, iswigo.Fail(iswigo.ErrnoStepTimeout, "nobody came back")
	}
	q, err := s.RedirectFunc(authorize, state)
	if err != nil {
		return nil, err
	}
	if q["state"] != state {
		return nil, fmt.Errorf("connectortest: the callback's state is not the one given to the connector")
	}
	if q["error"] != "" && q["code"] == "" {
		return q, iswigo.Fail(iswigo.ErrnoWrongStepAnswer, "refused: %s", q["error"])
	}
	return maps.Clone(q), ctx.Err()
}

// Decoupled implements iswigo.DecoupledSession.
func (s *StepsSession) Decoupled(ctx context.Context, message string, interval time.Duration, poll func(ctx context.Context) (bool, error)) error {
	s.Asked = append(s.Asked, iswigo.StepDecoupled)
	if !s.Present {
		return iswigo.Fail(iswigo.ErrnoSCARequired, "decoupled step in the background")
	}
	s.Messages = append(s.Messages, message)
	limit := s.DecoupledPolls
	if limit <= 0 {
		limit = 500
	}
	for i := 0; i < limit; i++ {
		done, err := poll(ctx)
		if err != nil || done {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(interval, 50*time.Millisecond)):
		}
	}
	return iswigo.Fail(iswigo.ErrnoStepTimeout, "not approved")
}

// SetConsentExpiration implements iswigo.ConsentSession.
func (s *StepsSession) SetConsentExpiration(ctx context.Context, t time.Time) error {
	s.ConsentExpiration = t
	return nil
}

// PSUContext implements iswigo.PSUContextSession.
func (s *StepsSession) PSUContext() (string, string) {
	if !s.Present {
		return "", ""
	}
	return s.PSUIP, s.PSUUserAgent
}

// RedirectFixture describes a connector that authorizes by redirect.
type RedirectFixture struct {
	// Credentials lead to the redirect.
	Credentials map[string]string
	// Approve and Deny play the person at the provider: they return the
	// callback's query after approving or refusing at authorizeURL.
	Approve, Deny func(t *testing.T, authorizeURL string) map[string]string
}

// ExerciseRedirect runs the standard test of a connector that authorizes
// by redirect, in parallel subtests:
//
//   - Approve: the person approves; the sync succeeds with valid data, a
//     second sync with the state saved asks nothing and gives the same
//     accounts and transactions among the first's with the same identities
//     (it may ask only the recent days), and a background sync a day later (nobody present, the
//     consent reused) keeps every earlier transaction;
//   - Deny: the person refuses: errno 6, nothing stored;
//   - NotInteractive: without state and nobody present: errno 10 at once,
//     before any authorization URL is asked for.
func ExerciseRedirect(t *testing.T, c iswigo.Connector, f RedirectFixture, now time.Time) {
	t.Helper()
	p := c.Provider()
	session := func(t *testing.T, present bool, state []byte, at time.Time, answer func(*testing.T, string) map[string]string) *StepsSession {
		s := &StepsSession{Session: NewSession(maps.Clone(f.Credentials), at), PSUIP: "192.0.2.7", PSUUserAgent: "connectortest"}
		s.Inputs, s.Present, s.SavedState = p.Inputs, present, state
		if answer != nil {
			s.RedirectFunc = func(u, _ string) (map[string]string, error) { return answer(t, u), nil }
		}
		return s
	}
	if err := p.Inputs["default"].Validate(f.Credentials); err != nil {
		t.Fatalf("redirect credentials do not pass the default input set: %v", err)
	}
	t.Run("Approve", func(t *testing.T) {
		t.Parallel()
		first := session(t, true, nil, now, f.Approve)
		if err := sync(t, c, first.asSession()); err != nil {
			t.Fatalf("approved sync: %v", err)
		}
		if len(first.Redirects) != 1 {
			t.Fatalf("%d redirects, want 1", len(first.Redirects))
		}
		checkSync(t, p, first.Session)
		second := session(t, true, first.SavedState, now, nil)
		if err := sync(t, c, second.asSession()); err != nil || len(second.Redirects) != 0 {
			t.Fatalf("second sync: %v, %d redirects (want the saved consent reused)", err, len(second.Redirects))
		}
		checkSync(t, p, second.Session)
		checkAmong(t, first.Session, second.Session)
		third := session(t, false, second.SavedState, now.Add(24*time.Hour), nil)
		if err := sync(t, c, third.asSession()); err != nil {
			t.Fatalf("background sync a day later: %v", err)
		}
		checkKept(t, second.Session, third.Session)
	})
	t.Run("Deny", func(t *testing.T) {
		t.Parallel()
		s := session(t, true, nil, now, f.Deny)
		wantErrno(t, sync(t, c, s.asSession()), iswigo.ErrnoWrongStepAnswer)
		if len(s.Accounts) > 0 {
			t.Errorf("a refused authorization stored %d accounts", len(s.Accounts))
		}
	})
	t.Run("NotInteractive", func(t *testing.T) {
		t.Parallel()
		s := session(t, false, nil, now, nil)
		wantErrno(t, sync(t, c, s.asSession()), iswigo.ErrnoSCARequired)
		if len(s.Redirects) > 0 {
			t.Error("an authorization was started with nobody present")
		}
	})
}

// asSession returns s as the SyncSession the connector sees.
func (s *StepsSession) asSession() iswigo.SyncSession { return s }

// checkAmong fails t unless every account of later is one of earlier's and
// every transaction of later is one of earlier's, same identity (a
// connector that asks only the days since its last sync).
func checkAmong(t *testing.T, earlier, later *Session) {
	t.Helper()
	for _, acc := range later.Accounts {
		if earlier.Account(acc.Key) == nil {
			t.Errorf("account %q appeared in the second sync", acc.Key)
			continue
		}
		if extra := missingFrom(later.Transactions[acc.Key], earlier.Transactions[acc.Key], identity); len(extra) > 0 {
			t.Errorf("account %q: the second sync has %d transactions the first had not (new identities), e.g. %q",
				acc.Key, len(extra), head(extra))
		}
	}
}
