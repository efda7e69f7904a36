// SPDX-License-Identifier: Apache-2.0

package connflow_test

import (
	"context"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connflow"
)

// TestSync: one connection or all of them, with the person present (for
// providers that want them) and the funnel's return page; another user's
// or an unreached connection is not found; a funnel scope syncs only what
// it reaches.
func TestSync(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		first, second := e.create(t, e.alice), e.create(t, e.alice)
		e.create(t, e.bob)
		for _, c := range []*iswigo.Connection{first, second} {
			if err := e.begin(t, c).Finish(ctx, nil, true); err != nil {
				t.Fatal(err)
			}
		}
		for name, a := range map[string]connflow.Actor{"another user": e.api(e.bob), "another application": e.api(e.carol),
			"not reached": e.funnel(e.alice, scope{connections: []string{second.ID}})} {
			_, err := e.flow.Sync(ctx, a, first.ID)
			wantError(t, err, iswigo.ENOTFOUND, "")
			if _, err := e.flow.SyncAll(ctx, a, []string{first.ID}); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
				t.Fatalf("%s: sync all %v", name, err)
			}
		}
		if got := e.stored(t, e.alice, first.ID); got.Status != iswigo.StatusFinished {
			t.Fatalf("refused syncs queued one: %+v", got)
		}

		// The funnel syncs the one connection its session reaches.
		funnel := e.funnel(e.alice, scope{connections: []string{second.ID}})
		synced, err := e.flow.SyncAll(ctx, funnel, nil)
		if err != nil || len(synced) != 1 || synced[0].ID != second.ID || synced[0].Status != iswigo.StatusPending {
			t.Fatalf("funnel sync all: %+v %v", synced, err)
		}
		if got := e.stored(t, e.alice, first.ID); got.Status != iswigo.StatusFinished {
			t.Fatalf("the funnel synced an unreached connection: %+v", got)
		}
		if got := e.stored(t, e.alice, second.ID); got.RedirectURI != funnel.Person.ReturnURL {
			t.Fatalf("funnel sync: redirect URI %q", got.RedirectURI)
		}
		// The person reaches a provider that wants them.
		p, _ := e.providers.FindProviderByID(ctx, second.ProviderID)
		wants := *p
		wants.Properties.WantsPSUContext = true
		s, err := e.db.BeginSync(ctx, second.ID, wants, true)
		if err != nil {
			t.Fatal(err)
		}
		if ip, ua := s.PSUContext(); ip != "192.0.2.7" || ua != "test-agent/1" {
			t.Fatalf("PSU context %q %q", ip, ua)
		}
		// Running: asking again changes nothing and answers its status.
		again, err := e.flow.Sync(ctx, funnel, second.ID)
		if err != nil || again.Status != iswigo.StatusInProgress {
			t.Fatalf("sync while running: %+v %v", again, err)
		}
		if err := s.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}

		// Through the API: every connection of the user, bob's left alone.
		all, err := e.flow.SyncAll(ctx, e.api(e.alice), nil)
		if err != nil || len(all) != 2 || all[0].Status != iswigo.StatusPending || all[1].Status != iswigo.StatusPending {
			t.Fatalf("sync all: %+v %v", all, err)
		}
		one, err := e.flow.Sync(ctx, e.api(e.alice), first.ID)
		if err != nil || one.ID != first.ID || one.Status != iswigo.StatusPending {
			t.Fatalf("sync one: %+v %v", one, err)
		}
		if got := e.stored(t, e.alice, first.ID); got.RedirectURI != "" {
			t.Fatalf("an API sync set a redirect URI: %q", got.RedirectURI)
		}
	})
}
