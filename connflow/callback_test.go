// SPDX-License-Identifier: Apache-2.0

package connflow_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connflow"
)

// TestCallback: incomplete queries, unknown and forged states and a
// service without callbacks change nothing; the right state resumes the
// sync with the query once, and sends the browser to the connection's
// redirect URI with connection_id; replayed, it is unknown.
func TestCallback(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c, err := e.flow.Create(ctx, e.api(e.alice), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank),
			Values: map[string]string{"login": "hector", "password": "123456"}, RedirectURI: ptr("https://app.example/back")})
		if err != nil {
			t.Fatal(err)
		}
		s := e.begin(t, c)
		var state string
		type result struct {
			query map[string]string
			err   error
		}
		results := make(chan result, 1)
		go func() {
			q, err := s.Redirect(ctx, func(ctx context.Context, cb, st string) (string, error) {
				state = st
				return "https://bank.example/authorize", nil
			})
			results <- result{q, err}
		}()
		e.waitStep(t, e.alice, c.ID, iswigo.StepRedirect)

		many := url.Values{"state": {state}}
		for i := range connflow.MaxCallbackParams {
			many.Set("p"+strings.Repeat("x", i), "v")
		}
		for name, q := range map[string]url.Values{
			"no state":        {"code": {"abc"}},
			"empty state":     {"state": {""}, "code": {"abc"}},
			"repeated":        {"state": {state}, "code": {"abc", "def"}},
			"oversized value": {"state": {state}, "code": {strings.Repeat("x", connflow.MaxCallbackValueBytes+1)}},
			"oversized key":   {"state": {state}, strings.Repeat("k", 65): {"v"}},
			"too many":        many,
		} {
			_, _, err := e.flow.Callback(ctx, q)
			if iswigo.ErrorCode(err) != iswigo.EINVALID {
				t.Fatalf("%s: %v", name, err)
			}
		}
		for name, st := range map[string]string{"unknown": iswigo.NewID(), "forged": state + "x"} {
			_, _, err := e.flow.Callback(ctx, url.Values{"state": {st}, "code": {"abc"}})
			if iswigo.ErrorCode(err) != iswigo.ENOTFOUND || connflow.IsNoCallbacks(err) {
				t.Fatalf("%s state: %v", name, err)
			}
		}
		none := &connflow.Service{Connections: e.db, Providers: e.providers}
		if _, _, err := none.Callback(ctx, url.Values{"state": {state}, "code": {"abc"}}); !connflow.IsNoCallbacks(err) {
			t.Fatalf("no callback service: %v", err)
		}
		if got := e.stored(t, e.alice, c.ID); got.Status != iswigo.StatusWaitingUser || got.Step != iswigo.StepRedirect {
			t.Fatalf("refused callbacks moved the sync on: %+v", got)
		}

		back, next, err := e.flow.Callback(ctx, url.Values{"state": {state}, "code": {"abc"}})
		if err != nil || back.ID != c.ID || next != "https://app.example/back?connection_id="+c.ID {
			t.Fatalf("callback: %+v %q %v", back, next, err)
		}
		if r := <-results; r.err != nil || r.query["code"] != "abc" || r.query["state"] != state {
			t.Fatalf("the sync got %v %v", r.query, r.err)
		}
		if _, _, err := e.flow.Callback(ctx, url.Values{"state": {state}, "code": {"abc"}}); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
			t.Fatalf("replayed state: %v", err)
		}

		// Without a redirect URI the browser gets a plain page ("").
		if err := s.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
		plain := e.create(t, e.alice)
		s = e.begin(t, plain)
		go func() {
			q, err := s.Redirect(ctx, func(ctx context.Context, cb, st string) (string, error) {
				state = st
				return "https://bank.example/authorize", nil
			})
			results <- result{q, err}
		}()
		e.waitStep(t, e.alice, plain.ID, iswigo.StepRedirect)
		back, next, err = e.flow.Callback(ctx, url.Values{"state": {state}, "error": {"access_denied"}})
		if err != nil || back.ID != plain.ID || next != "" {
			t.Fatalf("callback without a redirect URI: %+v %q %v", back, next, err)
		}
		if r := <-results; iswigo.ErrnoOf(r.err) != iswigo.ErrnoWrongStepAnswer {
			t.Fatalf("refused authorization: %v %v", r.query, r.err)
		}
		if err := s.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
	})
}
