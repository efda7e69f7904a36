// SPDX-License-Identifier: Apache-2.0

package connectortest

import (
	"context"
	"errors"
	"io"
	"maps"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// Fixture is what Exercise needs to know about a connector.
type Fixture struct {
	// Good are credentials (by varname) that succeed without a step. For a
	// connector that always asks a step, leave Good nil and set Step.
	Good map[string]string
	// Wrong are credentials that must fail with ErrnoWrongCredentials.
	Wrong map[string]string
	// Step describes the connector's interactive flow, if it has one.
	Step *StepFixture
	// Now is the time of the syncs. Defaults to 2026-03-15 12:00 UTC.
	Now time.Time
	// Upload, when set, is called with every session before its sync: for
	// a connector whose data come from files uploaded to the connection
	// (statement import) rather than from credentials, it names the
	// session's connection (Session.Connection) and puts the files where
	// the connector finds them, the same files for every sync. Such a
	// connector's "default" input set may be empty; Good is then {}.
	Upload func(t *testing.T, s *Session)
}

// StepFixture describes an interactive flow.
type StepFixture struct {
	// Credentials lead to the step.
	Credentials map[string]string
	// Step is the input set asked; it must exist in Provider().Inputs.
	Step string
	// Answer is the right answer, by varname.
	Answer map[string]string
	// WrongAnswer is a well-formed answer that must fail with
	// ErrnoWrongStepAnswer.
	WrongAnswer map[string]string
}

// Exercise runs the standard test every connector passes, as parallel
// subtests each with fresh Sessions:
//
//   - Provider: the provider is well formed;
//   - Credentials: the fixture's credentials and answers pass the input
//     sets' validation, as the API would check them;
//   - WrongCredentials: f.Wrong fails with errno 2 and stores nothing;
//   - Sync: the good flow succeeds; a second sync at the same time, with
//     the state the first saved, gives identical accounts, transactions
//     and documents; a third sync a day later keeps every earlier
//     transaction and document file; every sync's data is valid: amounts
//     exact and in the account's currency, dates not after the sync,
//     parents among the accounts, progress within 0–100 and never
//     decreasing, documents with non-empty files (%PDF for a pdf) and
//     invoices with an amount;
//   - Step: the step asked is f.Step.Step; the right answer succeeds, a
//     wrong one gives errno 6, no answer in time errno 5, and nobody
//     present errno 10 (the session's error, propagated);
//   - Cancel: a sync whose context is cancelled, before it starts or at
//     its first progress report, returns an error wrapping
//     context.Canceled (or, after the cancellation, calls the session no
//     more and returns nil).
//
// Connectors must therefore be safe for concurrent syncs, as the engine
// needs them to be.
func Exercise(t *testing.T, c iswigo.Connector, f Fixture) {
	t.Helper()
	p := c.Provider()
	if f.Now.IsZero() {
		f.Now = time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)
	}
	if f.Good == nil && f.Step == nil {
		t.Fatal("connectortest: the fixture needs Good or Step")
	}

	t.Run("Provider", func(t *testing.T) {
		t.Parallel()
		checkProvider(t, p, f)
	})

	t.Run("Credentials", func(t *testing.T) {
		t.Parallel()
		def := p.Inputs["default"]
		for name, creds := range map[string]map[string]string{"Good": f.Good, "Wrong": f.Wrong} {
			if creds != nil {
				if err := def.Validate(creds); err != nil {
					t.Errorf("%s credentials do not pass the default input set: %v", name, err)
				}
			}
		}
		if f.Step != nil {
			if err := def.Validate(f.Step.Credentials); err != nil {
				t.Errorf("Step credentials do not pass the default input set: %v", err)
			}
			set := p.Inputs[f.Step.Step]
			if err := set.Validate(f.Step.Answer); err != nil {
				t.Errorf("Step answer does not pass input set %q: %v", f.Step.Step, err)
			}
			if err := set.Validate(f.Step.WrongAnswer); err != nil {
				t.Errorf("Step wrong answer does not pass input set %q (the engine would refuse it): %v", f.Step.Step, err)
			}
		}
	})

	if f.Wrong != nil {
		t.Run("WrongCredentials", func(t *testing.T) {
			t.Parallel()
			s := f.session(t, p, f.Wrong, f.Now, nil)
			wantErrno(t, sync(t, c, s), iswigo.ErrnoWrongCredentials)
			if len(s.Accounts) > 0 || len(s.Transactions) > 0 || len(s.Documents) > 0 {
				t.Errorf("wrong credentials stored %d accounts, transactions of %d accounts, %d documents; want nothing",
					len(s.Accounts), len(s.Transactions), len(s.Documents))
			}
		})
	}

	t.Run("Sync", func(t *testing.T) {
		t.Parallel()
		good := f.Good
		if good == nil {
			good = f.Step.Credentials
		}
		first := f.session(t, p, good, f.Now, nil)
		mustSync(t, c, first, "first sync")
		checkSync(t, p, first)

		second := f.session(t, p, good, f.Now, first.SavedState)
		mustSync(t, c, second, "second sync")
		checkSync(t, p, second)
		checkSame(t, first, second)

		third := f.session(t, p, good, f.Now.Add(24*time.Hour), second.SavedState)
		mustSync(t, c, third, "sync a day later")
		checkSync(t, p, third)
		checkKept(t, second, third)
	})

	if f.Step != nil {
		t.Run("Step", func(t *testing.T) {
			t.Parallel()
			exerciseStep(t, c, p, f)
		})
	}

	t.Run("Cancel", func(t *testing.T) {
		t.Parallel()
		exerciseCancel(t, c, p, f)
	})
}

// session returns a session for creds: interactive and answering the
// fixture's step rightly when there is one, else not interactive; with the
// fixture's uploads.
func (f Fixture) session(t *testing.T, p iswigo.Provider, creds map[string]string, now time.Time, state []byte) *Session {
	s := NewSession(maps.Clone(creds), now)
	s.Inputs = p.Inputs
	s.SavedState = state
	if f.Step != nil && f.Good == nil {
		s.Present = true
		s.AnswerFunc = answerWith(f.Step.Answer)
	}
	if f.Upload != nil {
		f.Upload(t, s)
	}
	return s
}

func answerWith(answer map[string]string) func(string) (map[string]string, error) {
	return func(string) (map[string]string, error) { return maps.Clone(answer), nil }
}

func exerciseStep(t *testing.T, c iswigo.Connector, p iswigo.Provider, f Fixture) {
	step := f.Step
	run := func(t *testing.T, present bool, answer func(string) (map[string]string, error)) (*Session, error) {
		s := NewSession(maps.Clone(step.Credentials), f.Now)
		s.Inputs = p.Inputs
		s.Present = present
		s.AnswerFunc = answer
		return s, sync(t, c, s)
	}
	asked := func(t *testing.T, s *Session) {
		t.Helper()
		if len(s.Asked) == 0 || s.Asked[0] != step.Step {
			t.Errorf("steps asked = %q, want %q first", s.Asked, step.Step)
		}
	}

	t.Run("Answer", func(t *testing.T) {
		s, err := run(t, true, answerWith(step.Answer))
		if err != nil {
			t.Fatalf("sync with the right answer: %v", err)
		}
		asked(t, s)
		checkSync(t, p, s)
	})
	t.Run("WrongAnswer", func(t *testing.T) {
		s, err := run(t, true, answerWith(step.WrongAnswer))
		wantErrno(t, err, iswigo.ErrnoWrongStepAnswer)
		asked(t, s)
	})
	t.Run("Timeout", func(t *testing.T) {
		s, err := run(t, true, func(string) (map[string]string, error) {
			return nil, iswigo.Fail(iswigo.ErrnoStepTimeout, "no answer in time")
		})
		wantErrno(t, err, iswigo.ErrnoStepTimeout)
		asked(t, s)
	})
	t.Run("NotInteractive", func(t *testing.T) {
		s, err := run(t, false, nil)
		wantErrno(t, err, iswigo.ErrnoSCARequired)
		asked(t, s)
	})
}

func exerciseCancel(t *testing.T, c iswigo.Connector, p iswigo.Provider, f Fixture) {
	creds := f.Good
	if creds == nil {
		creds = f.Step.Credentials
	}
	t.Run("BeforeStart", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := c.Sync(ctx, f.session(t, p, creds, f.Now, nil))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("sync with a cancelled context = %v, want an error wrapping context.Canceled", err)
		}
	})
	t.Run("AtFirstProgress", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		ctx, cancelNow := context.WithCancel(ctx)
		s := &cancelling{Session: f.session(t, p, creds, f.Now, nil), cancel: cancelNow}
		err := c.Sync(ctx, s)
		switch {
		case !s.cancelled:
			t.Log("the connector reports no progress; nothing to check")
		case err == nil && s.after:
			t.Error("the session refused calls after the cancellation, yet the sync returned nil")
		case err != nil && !errors.Is(err, context.Canceled):
			t.Errorf("sync cancelled at its first progress = %v, want an error wrapping context.Canceled", err)
		}
	})
}

// cancelling is a Session that cancels the sync's context at the first
// progress report, and notes whether the connector calls it afterwards.
type cancelling struct {
	*Session
	cancel           context.CancelFunc
	cancelled, after bool
}

func (s *cancelling) note() {
	if s.cancelled {
		s.after = true
	}
}

func (s *cancelling) Progress(ctx context.Context, percent int) error {
	if !s.cancelled {
		s.cancelled = true
		s.cancel()
		return s.Session.Progress(context.WithoutCancel(ctx), percent)
	}
	s.after = true
	return s.Session.Progress(ctx, percent)
}

func (s *cancelling) Ask(ctx context.Context, step string) (map[string]string, error) {
	s.note()
	return s.Session.Ask(ctx, step)
}

func (s *cancelling) SaveState(ctx context.Context, state []byte) error {
	s.note()
	return s.Session.SaveState(ctx, state)
}

func (s *cancelling) PutAccount(ctx context.Context, a *iswigo.ConnectorAccount) error {
	s.note()
	return s.Session.PutAccount(ctx, a)
}

func (s *cancelling) PutTransactions(ctx context.Context, key string, txs []iswigo.ConnectorTransaction) error {
	s.note()
	return s.Session.PutTransactions(ctx, key, txs)
}

func (s *cancelling) PutDocument(ctx context.Context, d *iswigo.ConnectorDocument, r io.Reader) error {
	s.note()
	return s.Session.PutDocument(ctx, d, r)
}

// sync runs one sync of c in s, bounded to a minute.
func sync(t *testing.T, c iswigo.Connector, s iswigo.SyncSession) error {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	return c.Sync(ctx, s)
}

func mustSync(t *testing.T, c iswigo.Connector, s *Session, what string) {
	t.Helper()
	if err := sync(t, c, s); err != nil {
		t.Fatalf("%s: %v (steps asked: %q; Good credentials must succeed without a step)", what, err, s.Asked)
	}
}

// wantErrno fails t unless err is a *iswigo.ConnectorError with errno want.
func wantErrno(t *testing.T, err error, want iswigo.Errno) {
	t.Helper()
	var ce *iswigo.ConnectorError
	switch {
	case err == nil:
		t.Errorf("sync succeeded, want errno %d", want)
	case !errors.As(err, &ce):
		t.Errorf("sync error = %v (not a *iswigo.ConnectorError), want errno %d", err, want)
	case ce.Errno != want:
		t.Errorf("sync error = %v, want errno %d", err, want)
	}
}
