// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// TestUpdateEmptyValueKeeps: in the funnel's edit form a field left empty
// keeps the stored credential (docs/connectors.md), as on the API's PUT:
// the form sent back untouched keeps everything and queues a sync, a new
// password replaces only the password, and the merged credentials are
// validated whole.
func TestUpdateEmptyValueKeeps(t *testing.T) {
	e := newEnv(t)
	u, c := e.readyUser(t, "keep@example.com")
	sid, _ := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	ctx := context.Background()
	wait := func(id, status string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			got, err := e.db.FindConnectionByID(ctx, u.AppID, u.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == status {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("connection %s: %+v; want %s", id, got, status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	creds := func(id string) map[string]string {
		t.Helper()
		got, err := e.db.FindConnectionCredentials(ctx, u.AppID, u.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	out := e.mustCall(t, sid, "connections/create", map[string]any{"provider_id": 999,
		"values": map[string]string{"login": "hector", "password": "654321"}}, 201)
	id := out["connection_id"].(string)
	wait(id, iswigo.StatusError)

	out = e.mustCall(t, sid, "connections/update", map[string]any{"connection_id": id,
		"values": map[string]string{"login": "", "password": ""}}, 200)
	if out["status"] != iswigo.StatusPending {
		t.Fatalf("untouched form: %v; want a queued sync", out)
	}
	if got, want := creds(id), map[string]string{"login": "hector", "password": "654321"}; !maps.Equal(got, want) {
		t.Fatalf("empty fields changed the credentials: %v", got)
	}
	wait(id, iswigo.StatusError)

	e.mustCall(t, sid, "connections/update", map[string]any{"connection_id": id,
		"values": map[string]string{"login": "", "password": "123456"}}, 200)
	if got, want := creds(id), map[string]string{"login": "hector", "password": "123456"}; !maps.Equal(got, want) {
		t.Fatalf("credentials %v; want %v", got, want)
	}
	wait(id, iswigo.StatusFinished)

	out = e.mustCall(t, sid, "connections/update", map[string]any{"connection_id": id,
		"values": map[string]string{"login": "abc"}}, 400)
	if f := out["error"].(map[string]any)["field"]; f != "login" {
		t.Fatalf("short login: %v", out)
	}
	if got := creds(id); got["login"] != "hector" {
		t.Fatalf("a refused edit changed the credentials: %v", got)
	}
}
