// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

func TestWebhookCommands(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			store := storeArgs(t, d)
			cmd := func(args ...string) (string, error) { return runCmd(t, append(args, store...)...) }
			if _, err := cmd("app", "create", "--name", "acme"); err != nil {
				t.Fatal(err)
			}
			out, err := cmd("webhook", "add", "--app", "acme", "--url", "https://user:pw@hooks.example/iswigo?x=1", "--events", "connection.status,user.created")
			if err != nil {
				t.Fatal(err)
			}
			var ep struct {
				ID, App, URL string
				Events       []string
			}
			if err := json.Unmarshal([]byte(out), &ep); err != nil || ep.App != "acme" || len(ep.Events) != 2 || strings.Contains(out, "pw@") {
				t.Fatalf("add: %s %v", out, err)
			}
			for _, bad := range [][]string{
				{"webhook", "add", "--app", "acme", "--url", "ftp://x"},
				{"webhook", "add", "--app", "acme", "--url", "https://x.example", "--events", "nope"},
				{"webhook", "add", "--app", "nobody", "--url", "https://x.example"},
				{"webhook", "add", "--url", "https://x.example"},
				{"webhook", "remove", "--id", "0199f1c2-6a1b-7c3d-9e4f-5a6b7c8d9e0f"},
				{"webhook", "replay", "--app", "acme"},
				{"webhook", "replay", "--since", "yesterday"},
				{"webhook", "replay", "--event", "0199f1c2-6a1b-7c3d-9e4f-5a6b7c8d9e0f"},
			} {
				if _, err := cmd(bad...); err == nil {
					t.Errorf("%v: no error", bad)
				}
			}
			out, err = cmd("webhook", "list", "--app", "acme")
			if err != nil || !strings.Contains(out, ep.ID) {
				t.Fatalf("list: %s %v", out, err)
			}
			if out, err = cmd("webhook", "deliveries", "--app", "acme"); err != nil || out != "" {
				t.Fatalf("no delivery yet: %q %v", out, err)
			}
			// An event, then a replay of everything since: one delivery per endpoint.
			db, err := openStore(context.Background(), storeFlags{data: store[1], databaseURL: store[3]})
			if err != nil {
				t.Fatal(err)
			}
			app, _ := db.FindAppByName(context.Background(), "acme")
			if err := db.CreateUser(context.Background(), &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			// (No engine ran here, so the event got no delivery when committed.)
			if out, err = cmd("webhook", "replay", "--since", "2000-01-01T00:00:00Z"); err != nil || !strings.Contains(out, `"deliveries":1`) {
				t.Fatalf("replay: %s %v", out, err)
			}
			if out, err = cmd("webhook", "deliveries", "--app", "acme"); err != nil || strings.Count(out, `"type":"user.created"`) != 1 ||
				!strings.Contains(out, `"status":"pending"`) {
				t.Fatalf("deliveries: %s %v", out, err)
			}
			if _, err := cmd("webhook", "remove", "--id", ep.ID); err != nil {
				t.Fatal(err)
			}
			if out, _ = cmd("webhook", "list"); strings.Contains(out, ep.ID) {
				t.Fatal("removed endpoint listed")
			}
		})
	}
}
