// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"maps"
	"testing"

	"github.com/iswigo/iswigo"
)

// TestUpdateConnectionEmptyValueKeeps: on PUT /v1/connections/{id} a value
// left out, null or empty keeps the stored credential (docs/connectors.md),
// the merged credentials are validated whole, and a body with values (even
// all empty) queues a sync; one without only changes the flags.
func TestUpdateConnectionEmptyValueKeeps(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		u, c := e.user(t, e.psd2, "keep@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "hector", "password": "654321"})
		if err != nil {
			t.Fatal(err)
		}
		if st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError)); errnoOf(st) != 2 {
			t.Fatalf("wrong password: errno %d", errnoOf(st))
		}
		creds := func() map[string]string {
			t.Helper()
			got, err := e.db.FindConnectionCredentials(ctx, e.psd2App.ID, u.UserID, conn.ConnectionID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// Flags only: no sync, the error stays.
		edited, err := c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"automatic_synchronization": false})
		if err != nil || edited.AutomaticSynchronization || edited.NbErrors != 1 {
			t.Fatalf("flags edit: %+v %v", edited, err)
		}
		// Every value empty (the form sent back untouched): all kept, and
		// the credentials count as edited: the error is cleared and a sync
		// queued (it fails again on the same password).
		edited, err = c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"login": "", "password": ""})
		if err != nil || edited.NbErrors != 0 {
			t.Fatalf("untouched edit: %+v %v", edited, err)
		}
		if got, want := creds(), map[string]string{"login": "hector", "password": "654321"}; !maps.Equal(got, want) {
			t.Fatalf("empty values changed the credentials: %v", got)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
		// An empty login and a null field keep theirs; the new password applies.
		if _, err := c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"login": "", "parameter3": nil, "password": "123456"}); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		if got, want := creds(), map[string]string{"login": "hector", "password": "123456"}; !maps.Equal(got, want) {
			t.Fatalf("credentials %v; want %v", got, want)
		}
		// A value too short is refused, the stored ones stay.
		_, err = c.UpdateConnection(ctx, conn.ConnectionID, map[string]any{"login": "abc"})
		wantError(t, err, iswigo.EINVALID, "Invalid login: at least 6 characters")
		if got := creds(); got["login"] != "hector" {
			t.Fatalf("a refused edit changed the credentials: %v", got)
		}
	})
}
