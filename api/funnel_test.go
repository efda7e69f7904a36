// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
)

func TestFunnelSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		user, c := e.user(t, e.plain, "a@example.com")
		_, other := e.user(t, e.plain, "b@example.com")
		s, err := c.CreateFunnelSession(ctx, map[string]any{"action": "create bank", "connections": []string{}})
		if err != nil {
			t.Fatal(err)
		}
		if !iswigo.ValidID(s.SessionID) || s.SessionID[14] != '4' || s.URI != e.http.URL+"/widget/?session="+s.SessionID {
			t.Fatalf("session %+v", s)
		}
		stored, err := e.db.FindFunnelSession(ctx, s.SessionID)
		if err != nil || stored.Action != "create" || stored.Type != "bank" || stored.UserID != user.UserID ||
			(stored.ExpiresAt.Sub(stored.CreatedAt)-time.Hour).Abs() > time.Second || !stored.Usable(time.Now()) {
			t.Fatalf("stored %+v, %v", stored, err)
		}
		if _, err := c.CreateFunnelSession(ctx, map[string]any{"action": "create", "type": "document", "country": "fr", "scope": 1, "provider": 999}); err == nil {
			t.Fatal("provider 999 is not a document provider")
		}
		for body, msg := range map[string]string{
			`{"action":"destroy"}`:                           "Invalid action",
			`{"action":"create","type":"pets"}`:              "Invalid type",
			`{"action":"create bank","type":"document"}`:     "Invalid type",
			`{"action":"create","provider":4242}`:            "Invalid provider",
			`{"action":"create","country":"France"}`:         "Invalid country",
			`{"action":"edit","connections":[]}`:             "exactly one",
			`{"action":"sync","connections":["not-a-uuid"]}`: "Invalid connections",
			`{"action":"create","scope":"wide"}`:             "Invalid scope",
		} {
			resp, data, _ := c.Do(ctx, "POST", "/v1/funnel", []byte(body))
			wantEnvelope(t, resp.StatusCode, data, 400, msg)
		}
		// A connection of another user is unknown.
		pc := e.psd2
		_, owner := e.user(t, pc, "owner@example.com")
		conn, _ := owner.CreateConnection(ctx, 999, map[string]string{"login": "123456789", "password": "123456"})
		resp, data, _ := c.Do(ctx, "POST", "/v1/funnel", []byte(`{"action":"edit","connections":["`+conn.ConnectionID+`"]}`))
		wantEnvelope(t, resp.StatusCode, data, 400, "unknown connection")
		edit, err := owner.CreateFunnelSession(ctx, map[string]any{"action": "edit", "connections": []string{conn.ConnectionID}})
		if err != nil {
			t.Fatal(err)
		}
		// Session ids are random, not time-ordered.
		if strings.HasPrefix(edit.SessionID[:8], s.SessionID[:8]) {
			t.Fatalf("ids look ordered: %s %s", s.SessionID, edit.SessionID)
		}
		// Another user cannot delete it; the owner can, once.
		wantError(t, other.DeleteFunnelSession(ctx, s.SessionID), iswigo.ENOTFOUND, "")
		if err := c.DeleteFunnelSession(ctx, s.SessionID); err != nil {
			t.Fatal(err)
		}
		wantError(t, c.DeleteFunnelSession(ctx, s.SessionID), iswigo.ENOTFOUND, "")
		if got, _ := e.db.FindFunnelSession(ctx, s.SessionID); got.Usable(time.Now()) {
			t.Fatal("a deleted session is usable")
		}
		// Expiry is configurable.
		short := e.variant(t, func(srv *api.Server) { srv.FunnelLifetime = time.Minute })
		_, sc := e.user(t, short.client(t, e.plainApp), "c@example.com")
		ss, _ := sc.CreateFunnelSession(ctx, map[string]any{"action": "create"})
		got, _ := e.db.FindFunnelSession(ctx, ss.SessionID)
		if got.Usable(time.Now().Add(2 * time.Minute)) {
			t.Fatal("a session outlives its lifetime")
		}
		// Only its hash is stored.
		if e.db.Dialect() == "sqlite" {
			if raw, _ := os.ReadFile(e.db.SQLitePath()); strings.Contains(string(raw), edit.SessionID) {
				t.Fatal("a session id is stored in clear")
			}
		}
	})
}
