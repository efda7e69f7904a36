// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
)

// TestStatusMessageOnError: a sync failing with words for the person
// (Sandbox Bank's action… login: errno 3 with a message, no action URL)
// shows them as the status's message on error, raw on the wire as the
// schema says, and a new sync clears them at once.
func TestStatusMessageOnError(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		_, c := e.user(t, e.psd2, "notice@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "action-terms", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		st := waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
		if errnoOf(st) != 3 || !strings.Contains(st.Message, "new terms of service") || st.ActionURL != "" {
			t.Fatalf("status in error: %+v", st)
		}
		resp, body, _ := c.Do(ctx, "GET", "/v1/connections/"+conn.ConnectionID+"/status", nil)
		var raw map[string]any
		if resp.StatusCode != 200 || json.Unmarshal(body, &raw) != nil {
			t.Fatalf("status: %d %s", resp.StatusCode, body)
		}
		if _, ok := raw["action_url"]; ok || raw["message"] != st.Message {
			t.Errorf("status body %s: want the message and no action_url", body)
		}
		again, err := c.SyncConnection(ctx, conn.ConnectionID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Status == iswigo.StatusError || again.Message != "" {
			t.Errorf("a new sync kept the last failure's words: %+v", again)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusError))
	})
}
