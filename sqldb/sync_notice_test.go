// SPDX-License-Identifier: Apache-2.0

package sqldb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestSyncFailureForThePerson: a sync failing with an *iswigo.UserFailure
// leaves the provider's message and action URL on the connection in
// "error" and in its connection.status event; the next sync clears both at
// once (pending), and a plain Fail, a retry or an unsafe URL carries none.
func TestSyncFailureForThePerson(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		app := newApp(t, db, "notice")
		u := &iswigo.User{AppID: app.ID, Email: "n@example.com", PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		c := &iswigo.Connection{AppID: app.ID, UserID: u.ID, ProviderID: 10000, Credentials: map[string]string{}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		provider := iswigo.Provider{ID: 10000}
		status := func() *iswigo.Connection {
			t.Helper()
			got, err := db.FindConnectionByID(ctx, app.ID, u.ID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		lastStatusEvent := func() iswigo.StatusEventData {
			t.Helper()
			events, _, err := db.FindEvents(ctx, app.ID, iswigo.Range{To: 0})
			if err != nil || len(events) == 0 || events[0].Type != iswigo.EventConnectionStatus {
				t.Fatalf("last event %v, %v", events, err)
			}
			var d iswigo.StatusEventData
			if err := json.Unmarshal(events[0].Data, &d); err != nil {
				t.Fatal(err)
			}
			return d
		}
		finish := func(syncErr error, final bool) {
			t.Helper()
			s, err := db.BeginSync(ctx, c.ID, provider, true)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Finish(ctx, syncErr, final); err != nil {
				t.Fatal(err)
			}
		}
		requestSync := func() {
			t.Helper()
			if _, err := db.RequestSync(ctx, app.ID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: true}); err != nil {
				t.Fatal(err)
			}
		}

		finish(iswigo.FailWithMessage(iswigo.ErrnoActionNeeded, "Acceptez les nouvelles\nconditions générales",
			"https://bank.example/cgu", "woob ActionNeeded: session=deadbeef"), true)
		got := status()
		if got.Status != iswigo.StatusError || got.Errno != iswigo.ErrnoActionNeeded ||
			got.StepMessage != "Acceptez les nouvelles conditions générales" || got.ActionURL != "https://bank.example/cgu" {
			t.Fatalf("after the failure: %+v", got)
		}
		if d := lastStatusEvent(); d.Status != iswigo.StatusError || d.Errno == nil || *d.Errno != 3 ||
			d.Message != "Acceptez les nouvelles conditions générales" || d.ActionURL != "https://bank.example/cgu" {
			t.Errorf("status event: %+v", d)
		}
		raw, _ := json.Marshal(lastStatusEvent())
		if strings.Contains(string(raw), "deadbeef") {
			t.Errorf("the log text reached the event: %s", raw)
		}

		requestSync() // the next sync: pending, the words of the last failure gone
		if got := status(); got.Status != iswigo.StatusPending || got.StepMessage != "" || got.ActionURL != "" {
			t.Errorf("next sync queued: %+v", got)
		}
		if d := lastStatusEvent(); d.Message != "" || d.ActionURL != "" {
			t.Errorf("pending event: %+v", d)
		}

		finish(iswigo.FailWithMessage(iswigo.ErrnoActionNeeded, "Changez votre mot de passe", "javascript:alert(1)", "x"), true)
		if got := status(); got.StepMessage != "Changez votre mot de passe" || got.ActionURL != "" {
			t.Errorf("an unsafe URL kept: %+v", got)
		}
		requestSync()
		finish(iswigo.Fail(iswigo.ErrnoActionNeeded, "no words for the person"), true)
		if got := status(); got.Errno != 3 || got.StepMessage != "" || got.ActionURL != "" {
			t.Errorf("a plain Fail: %+v", got)
		}
		requestSync()
		finish(iswigo.FailWithMessage(iswigo.ErrnoUnavailable, "Site en maintenance", "https://bank.example/", "x"), false)
		if got := status(); got.Status != iswigo.StatusPending || got.StepMessage != "" || got.ActionURL != "" {
			t.Errorf("a failure retried: %+v", got)
		}
		finish(nil, true)
		if got := status(); got.Status != iswigo.StatusFinished || got.StepMessage != "" || got.ActionURL != "" {
			t.Errorf("finished: %+v", got)
		}
	})
}
