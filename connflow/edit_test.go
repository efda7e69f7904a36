// SPDX-License-Identifier: Apache-2.0

package connflow_test

import (
	"context"
	"maps"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connflow"
)

// TestEditRefusals: another user's, another application's or an
// unreached connection does not exist; the PSD2 rule; a provider change,
// an invalid merged value or an unregistered redirect URI: nothing changes.
func TestEditRefusals(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		c := e.create(t, e.alice)
		for name, a := range map[string]connflow.Actor{
			"another user":        e.api(e.bob),
			"another application": e.api(e.carol),
			"not reached":         e.funnel(e.alice, scope{connections: []string{iswigo.NewID()}}),
		} {
			_, err := e.flow.Connection(ctx, a, c.ID)
			wantError(t, err, iswigo.ENOTFOUND, "Connection not found")
			if _, err := e.flow.Named(ctx, a, []string{c.ID}); iswigo.ErrorCode(err) != iswigo.ENOTFOUND {
				t.Fatalf("%s: named %v", name, err)
			}
		}
		// A connection found for alice, handed to bob's edit: not found either.
		_, err := e.flow.Edit(ctx, e.api(e.bob), e.stored(t, e.alice, c.ID), connflow.EditRequest{AutomaticSync: ptr(false)})
		wantError(t, err, iswigo.ENOTFOUND, "Connection not found")
		if _, err := e.flow.Named(ctx, e.api(e.alice), make([]string, connflow.MaxConnectionIDs+1)); iswigo.ErrorCode(err) != iswigo.EINVALID {
			t.Fatalf("too many ids: %v", err)
		}

		// A connection of carol's, not PSD2: the API refuses to edit it.
		var cc *iswigo.Connection
		cc, err = e.flow.Create(ctx, e.funnel(e.carol, nil), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank),
			Values: map[string]string{"login": "carol1", "password": "123456"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.flow.Edit(ctx, e.api(e.carol), e.stored(t, e.carol, cc.ID), connflow.EditRequest{Values: map[string]string{"password": "654321"}})
		wantError(t, err, iswigo.EFORBIDDEN, "Only for PSD2 compliant applications: use the funnel")

		for _, tc := range []struct {
			req       connflow.EditRequest
			code, msg string
		}{
			{connflow.EditRequest{ProviderID: ptr(sandbox.ProviderIDEnergy)}, iswigo.EINVALID, "Invalid provider: a connection's provider cannot change"},
			{connflow.EditRequest{Values: map[string]string{"login": "abc"}}, iswigo.EINVALID, "Invalid login: at least 6 characters"},
			{connflow.EditRequest{Values: map[string]string{"password": "1234567890123456789012345678901234"}}, iswigo.EINVALID,
				"Invalid password: at most 32 characters"},
			{connflow.EditRequest{AutomaticSync: ptr(false), RedirectURI: ptr("https://evil.example/")}, iswigo.EINVALID,
				"Invalid redirect_uri: not one of the application's registered redirect URIs"},
		} {
			_, err := e.flow.Edit(ctx, e.api(e.alice), e.stored(t, e.alice, c.ID), tc.req)
			wantError(t, err, tc.code, tc.msg)
		}
		got := e.stored(t, e.alice, c.ID)
		if !got.AutomaticSync || got.RedirectURI != "" {
			t.Fatalf("refused edits changed %+v", got)
		}
		if creds := e.credentials(t, e.alice, c.ID); creds["login"] != "hector" || creds["password"] != "123456" {
			t.Fatalf("refused edits changed the credentials: %v", creds)
		}
	})
}

// TestEditEmptyValueKeeps: on edit, through the API or the funnel, a value
// left out or empty keeps the stored one, a new one replaces it, and the
// merged credentials are validated whole. Credentials edited (even all
// empty) clear the error state and queue a sync; an edit without any
// changes only the flags.
func TestEditEmptyValueKeeps(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		for name, a := range map[string]connflow.Actor{"api": e.api(e.alice), "funnel": e.funnel(e.alice, nil)} {
			c := e.create(t, e.alice)
			// A first sync fails on the password: errno 2.
			if err := e.begin(t, c).Finish(ctx, iswigo.Fail(iswigo.ErrnoWrongCredentials, "wrong password"), true); err != nil {
				t.Fatal(err)
			}
			if got := e.stored(t, e.alice, c.ID); got.Status != iswigo.StatusError || got.Errno != iswigo.ErrnoWrongCredentials {
				t.Fatalf("%s: after the failed sync %+v", name, got)
			}
			// Flags only: the credentials and the error stay.
			edited, err := e.flow.Edit(ctx, a, e.stored(t, e.alice, c.ID), connflow.EditRequest{AutomaticSync: ptr(false)})
			if err != nil || edited.AutomaticSync {
				t.Fatalf("%s: flags edit %+v %v", name, edited, err)
			}
			if got := e.stored(t, e.alice, c.ID); got.Status != iswigo.StatusError || got.AutomaticSync {
				t.Fatalf("%s: after a flags edit %+v", name, got)
			}
			// Login left empty, a new password: the login is kept.
			if _, err := e.flow.Edit(ctx, a, e.stored(t, e.alice, c.ID),
				connflow.EditRequest{Values: map[string]string{"login": "", "password": "654321"}}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := map[string]string{"login": "hector", "password": "654321"}
			if creds := e.credentials(t, e.alice, c.ID); !maps.Equal(creds, want) {
				t.Fatalf("%s: credentials %v; want %v", name, creds, want)
			}
			got := e.stored(t, e.alice, c.ID)
			if got.Status != iswigo.StatusPending || got.NbErrors != 0 {
				t.Fatalf("%s: edited credentials did not queue a sync: %+v", name, got)
			}
			if a.Funnel && got.RedirectURI != a.Person.ReturnURL {
				t.Fatalf("funnel: redirect URI %q", got.RedirectURI)
			}
			// Every value empty (the form sent back untouched): all kept, a sync queued.
			if err := e.begin(t, c).Finish(ctx, iswigo.Fail(iswigo.ErrnoWrongCredentials, "wrong password"), true); err != nil {
				t.Fatal(err)
			}
			if _, err := e.flow.Edit(ctx, a, e.stored(t, e.alice, c.ID),
				connflow.EditRequest{Values: map[string]string{"login": "", "password": ""}}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if creds := e.credentials(t, e.alice, c.ID); !maps.Equal(creds, want) {
				t.Fatalf("%s: empty values changed the credentials: %v", name, creds)
			}
			if got := e.stored(t, e.alice, c.ID); got.Status != iswigo.StatusPending {
				t.Fatalf("%s: an untouched form did not queue a sync: %+v", name, got)
			}
		}
	})
}
