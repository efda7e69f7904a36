// SPDX-License-Identifier: Apache-2.0

package connflow_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connflow"
)

// TestAnswerStep: no step while nothing waits; the PSD2 rule; another
// user's connection; an answer validated against the step's inputs, and
// only those passed on to the waiting sync.
func TestAnswerStep(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.create(t, e.alice)
		_, err := e.flow.AnswerStep(ctx, e.api(e.alice), e.stored(t, e.alice, c.ID), map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.EINVALID, iswigo.MsgStepNotAvailable)

		s := e.begin(t, c)
		answered := make(chan map[string]string, 1)
		go func() {
			a, err := s.Ask(ctx, "sms")
			if err != nil {
				a = map[string]string{"error": err.Error()}
			}
			answered <- a
		}()
		waiting := e.waitStep(t, e.alice, c.ID, "sms")
		p, set, err := e.flow.Step(ctx, waiting)
		if err != nil || p.ID != c.ProviderID || len(set.Inputs) != 1 || set.Inputs[0].Varname != "sms" {
			t.Fatalf("step: %+v %+v %v", p, set, err)
		}
		if _, err := e.flow.Connection(ctx, e.api(e.bob), c.ID); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("bob reached alice's connection: %v", err)
		}
		_, err = e.flow.AnswerStep(ctx, e.api(e.bob), waiting, map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.ENOTFOUND, "Connection not found")
		notPSD2 := e.api(e.alice)
		notPSD2.App = e.plainApp
		_, err = e.flow.AnswerStep(ctx, notPSD2, waiting, map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.EFORBIDDEN, "")
		for values, msg := range map[string]string{"": "Invalid sms: required", "12": "Invalid sms: at least 4 characters",
			"12ab": "Invalid sms: digits only", strings.Repeat("1", connflow.MaxValueLength+1): "Invalid sms: too long"} {
			_, err := e.flow.AnswerStep(ctx, e.api(e.alice), waiting, map[string]string{"sms": values})
			wantError(t, err, iswigo.EINVALID, msg)
		}
		if got := e.stored(t, e.alice, c.ID); got.Status != iswigo.StatusWaitingUser {
			t.Fatalf("refused answers moved the sync on: %+v", got)
		}
		got, err := e.flow.AnswerStep(ctx, e.funnel(e.alice, nil), waiting, map[string]string{"sms": "1234", "password": "stolen"})
		if err != nil || got.Status != iswigo.StatusPending || got.Step != "" {
			t.Fatalf("answer: %+v %v", got, err)
		}
		if a := <-answered; !maps.Equal(a, map[string]string{"sms": "1234"}) {
			t.Fatalf("the sync got %v", a)
		}
		// Answered: no step any more.
		_, err = e.flow.AnswerStep(ctx, e.api(e.alice), e.stored(t, e.alice, c.ID), map[string]string{"sms": "1234"})
		wantError(t, err, iswigo.EINVALID, iswigo.MsgStepNotAvailable)

		// A redirect step has no inputs: it is answered by the callback only.
		redirected := make(chan error, 1)
		stepCtx, cancel := context.WithCancel(ctx)
		go func() {
			_, err := s.Redirect(stepCtx, func(ctx context.Context, cb, st string) (string, error) { return "https://bank.example/auth", nil })
			redirected <- err
		}()
		waiting = e.waitStep(t, e.alice, c.ID, iswigo.StepRedirect)
		_, err = e.flow.AnswerStep(ctx, e.api(e.alice), waiting, map[string]string{"code": "x"})
		wantError(t, err, iswigo.EINVALID, iswigo.MsgStepNotAvailable)
		cancel() // the sync gives up waiting (one goroutine per sync session)
		<-redirected
		if err := s.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
	})
}
