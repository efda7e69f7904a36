// SPDX-License-Identifier: Apache-2.0

package connflow_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connflow"
)

// TestCreate: the PSD2 rule (and its statement-import exception), the
// provider and credential checks, the automatic-sync and redirect-URI
// rules, each refusal storing nothing; then a stored connection with only
// its inputs' values, the person present and the funnel's return page.
func TestCreate(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		good := map[string]string{"login": "hector", "password": "123456"}
		for _, tc := range []struct {
			name      string
			actor     connflow.Actor
			req       connflow.CreateRequest
			code, msg string
		}{
			{"not PSD2", e.api(e.carol), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank), Values: good},
				iswigo.EFORBIDDEN, "Only for PSD2 compliant applications: use the funnel"},
			{"not PSD2, no provider", e.api(e.carol), connflow.CreateRequest{Values: good}, iswigo.EFORBIDDEN, ""},
			{"no provider", e.api(e.alice), connflow.CreateRequest{Values: good}, iswigo.EINVALID, "Invalid provider: required"},
			{"unknown provider", e.api(e.alice), connflow.CreateRequest{ProviderID: ptr(4242), Values: good},
				iswigo.EINVALID, "Invalid provider: unknown provider 4242"},
			{"provider the funnel does not offer", e.funnel(e.alice, scope{providers: []int{sandbox.ProviderIDEnergy}}),
				connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank), Values: good},
				iswigo.EINVALID, "Invalid provider: unknown provider 999"},
			{"missing value", e.api(e.alice), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank),
				Values: map[string]string{"login": "hector"}}, iswigo.EINVALID, "Invalid password: required"},
			{"short value", e.funnel(e.alice, nil), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank),
				Values: map[string]string{"login": "hec", "password": "123456"}}, iswigo.EINVALID, "Invalid login: at least 6 characters"},
			{"oversized value", e.funnel(e.alice, nil), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank),
				Values: map[string]string{"login": "hector", "password": "123456", "note": strings.Repeat("x", connflow.MaxValueLength+1)}},
				iswigo.EINVALID, "Invalid note: too long"},
			{"unregistered redirect URI", e.api(e.alice), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank), Values: good,
				RedirectURI: ptr("https://evil.example/back")},
				iswigo.EINVALID, "Invalid redirect_uri: not one of the application's registered redirect URIs"},
			{"statements in the background", e.api(e.carol), connflow.CreateRequest{ProviderID: ptr(iswigo.ProviderIDStatements),
				AutomaticSync: ptr(true)}, iswigo.EINVALID,
				"Invalid automatic_synchronization: a statement import connection has nothing to fetch in the background"},
		} {
			if _, err := e.flow.Create(ctx, tc.actor, tc.req); err == nil {
				t.Fatalf("%s: created", tc.name)
			} else {
				wantError(t, err, tc.code, tc.msg)
			}
		}
		if n := e.count(t, e.alice) + e.count(t, e.carol); n != 0 {
			t.Fatalf("refused creations stored %d connections", n)
		}

		// Through the API: only the inputs' values are kept; the sync is queued.
		c, err := e.flow.Create(ctx, e.api(e.alice), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank),
			Values:      map[string]string{"login": "hector", "password": "123456", "extra": "dropped"},
			RedirectURI: ptr("https://app.example/back"), AutomaticSync: ptr(false)})
		if err != nil {
			t.Fatal(err)
		}
		if c.PSUIPAddress != "192.0.2.7" || c.PSUUserAgent != "test-agent/1" || c.RedirectURI != "https://app.example/back" || c.AutomaticSync {
			t.Fatalf("created %+v", c)
		}
		got := e.stored(t, e.alice, c.ID)
		if got.Status != iswigo.StatusPending || got.RedirectURI != "https://app.example/back" || got.AutomaticSync || got.LoginMasked == "" {
			t.Fatalf("stored %+v", got)
		}
		if creds := e.credentials(t, e.alice, c.ID); !maps.Equal(creds, good) {
			t.Fatalf("credentials %v; want %v", creds, good)
		}

		// Through the funnel of an application that is not PSD2: allowed,
		// automatic sync by default, back to the funnel after a redirect.
		c, err = e.flow.Create(ctx, e.funnel(e.carol, scope{providers: []int{sandbox.ProviderIDBank}}),
			connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank), Values: good})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.stored(t, e.carol, c.ID); !got.AutomaticSync || got.RedirectURI != "https://iswigo.example/widget/?session=s1" {
			t.Fatalf("funnel connection %+v", got)
		}

		// A statement import connection: any application, never in the background.
		c, err = e.flow.Create(ctx, e.api(e.carol), connflow.CreateRequest{ProviderID: ptr(iswigo.ProviderIDStatements)})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.stored(t, e.carol, c.ID); got.AutomaticSync || len(e.credentials(t, e.carol, c.ID)) != 0 {
			t.Fatalf("statement connection %+v", got)
		}
	})
}
