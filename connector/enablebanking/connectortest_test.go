// SPDX-License-Identifier: Apache-2.0

package enablebanking_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/connectortest"
	"github.com/iswigo/iswigo/connector/enablebanking"
	"github.com/iswigo/iswigo/connector/enablebanking/ebfake"
)

// TestConnectortest runs the standard test of redirect connectors on the
// fake's redirect bank.
func TestConnectortest(t *testing.T) {
	fake := ebfake.New(t, appID, &testKey.PublicKey)
	cat, err := enablebanking.New(enablebanking.Config{AppID: appID, Key: testKey, URL: fake.URL, Countries: []string{"FR"}})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := cat.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var bank iswigo.Connector
	for _, e := range entries {
		if e.Key == ebfake.RedirectBank+"|FR" {
			bank = e.Connector
		}
	}
	if bank == nil || len(entries) != 2 {
		t.Fatalf("catalogue entries: %+v", entries)
	}
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	answer := func(action string) func(t *testing.T, authorizeURL string) map[string]string {
		return func(t *testing.T, authorizeURL string) map[string]string {
			u, err := url.Parse(authorizeURL)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := plain.Get(fake.URL + action + "?" + u.RawQuery)
			if err != nil || resp.StatusCode != http.StatusFound {
				t.Fatalf("bank %s: %v %v", action, resp, err)
			}
			resp.Body.Close()
			loc, err := resp.Location()
			if err != nil {
				t.Fatal(err)
			}
			q := map[string]string{}
			for k, v := range loc.Query() {
				q[k] = v[0]
			}
			return q
		}
	}
	connectortest.ExerciseRedirect(t, bank, connectortest.RedirectFixture{
		Credentials: map[string]string{"psu_type": "personal"},
		Approve:     answer("/bank/approve"), Deny: answer("/bank/deny"),
	}, time.Now().UTC())
}
