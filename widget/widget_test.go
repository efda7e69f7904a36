// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// wantHeaders checks the headers every widget response carries.
func wantHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
		if h.Get(k) != v {
			t.Errorf("%s: %s = %q; want %q", what, k, h.Get(k), v)
		}
	}
	if c := h.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s sets cookies: %v", what, c)
	}
	if h.Get("Content-Security-Policy") == "" {
		t.Errorf("%s has no Content-Security-Policy", what)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, "https://shop.example.com", "http://localhost:8080", "https://evil.example.com; script-src *", "javascript:alert(1)")
	_, c := e.user(t, "ada@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})

	status, h, body := get(t, uri, nil)
	if status != 200 {
		t.Fatalf("page: %d", status)
	}
	wantHeaders(t, "page", h)
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self';", "style-src 'self';",
		"frame-ancestors https://shop.example.com http://localhost:8080"} {
		if !strings.Contains(csp, want) {
			t.Errorf("page CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "evil") || strings.Contains(csp, "javascript") || strings.HasSuffix(csp, "8080 ") {
		t.Errorf("page CSP %q", csp)
	}
	if h.Get("Cache-Control") != "no-store" || h.Get("X-Frame-Options") != "" {
		t.Errorf("page: Cache-Control %q, X-Frame-Options %q", h.Get("Cache-Control"), h.Get("X-Frame-Options"))
	}
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, `src="/widget/flow.js?v=`) && !strings.Contains(m, `src="/widget/statements.js?v=`) && !strings.Contains(m, `type="application/json"`) {
			t.Errorf("page has a script element that is neither the flow's scripts nor data: %s", m)
		}
	}
	if m := regexp.MustCompile(`<script src="[^"]*"[^>]*>\s*</script>`).FindAllString(body, -1); len(m) != 2 {
		t.Errorf("page scripts: %v", m)
	}
	if regexp.MustCompile(`\son[a-z]+=`).MatchString(body) || strings.Contains(body, "style=") {
		t.Error("page has inline event handlers or styles")
	}
	if regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).MatchString(body) {
		t.Error("page loads a resource from another site")
	}

	for name, ct := range map[string]string{"agent.js": "text/javascript", "flow.js": "text/javascript", "flow.css": "text/css"} {
		status, h, _ := get(t, e.http.URL+"/widget/"+name, nil)
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), ct) {
			t.Errorf("%s: %d %s", name, status, h.Get("Content-Type"))
		}
		wantHeaders(t, name, h)
	}
	if _, h, _ := get(t, e.http.URL+"/widget/agent.js", nil); h.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Errorf("agent.js cannot be loaded by other sites: CORP %q", h.Get("Cross-Origin-Resource-Policy"))
	}
	if status, h, _ := get(t, e.http.URL+"/widget/nothing", nil); status != 404 {
		t.Errorf("unknown file: %d", status)
	} else {
		wantHeaders(t, "unknown file", h)
	}

	status, h, _ = e.call(t, "", "providers", map[string]any{})
	if status != 401 || h.Get("Cache-Control") != "no-store" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("endpoint without session: %d %v", status, h)
	}
	wantHeaders(t, "endpoint", h)

	// An application that lists no origin cannot be embedded; its page
	// still works at the top level.
	e2 := newEnv(t)
	_, c2 := e2.user(t, "ada@example.com")
	_, uri2 := e2.session(t, c2, map[string]any{"action": "create", "type": "bank"})
	status, h, _ = get(t, uri2, nil)
	if status != 200 || !strings.HasSuffix(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("page of an app without origins: %d, CSP %q, X-Frame-Options %q", status, h.Get("Content-Security-Policy"), h.Get("X-Frame-Options"))
	}
}

func TestEndedSessionRefused(t *testing.T) {
	e := newEnv(t)
	u, c := e.readyUser(t, "ada@example.com")
	sid, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	e.mustCall(t, sid, "providers", map[string]any{}, 200)

	// No session, a malformed one, an unknown one.
	for _, s := range []string{"", "not-a-session", iswigo.NewRandomID()} {
		out := e.mustCall(t, s, "providers", map[string]any{}, 401)
		if out["error"].(map[string]any)["code"] != 401.0 {
			t.Fatalf("session %q: %v", s, out)
		}
	}
	// The session works with the id in a header only.
	if status, _, _ := get(t, e.http.URL+"/widget/api/providers?session="+sid, nil); status != 405 {
		t.Fatalf("GET an endpoint: %d", status)
	}

	// Expired.
	e.skew.Store(int64(iswigo.FunnelSessionLifetime + time.Minute))
	e.mustCall(t, sid, "providers", map[string]any{}, 410)
	if status, _, body := get(t, uri, nil); status != 410 || !strings.Contains(body, "This session has ended") {
		t.Fatalf("expired session's page: %d", status)
	}
	e.skew.Store(0)

	// Deleted.
	if err := c.DeleteFunnelSession(context.Background(), sid); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"providers", "terms", "connections", "connections/stream"} {
		out := e.mustCall(t, sid, path, map[string]any{}, 410)
		if out["error"].(map[string]any)["description"] != "This funnel session has ended" {
			t.Fatalf("%s: %v", path, out)
		}
	}
	status, _, body := get(t, uri, map[string]string{"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"})
	if status != 410 || !strings.Contains(body, "Cette session est terminée") || !strings.Contains(body, `<html lang="fr">`) {
		t.Fatalf("deleted session's page in French: %d %s", status, body)
	}
	if status, _, body := get(t, strings.Replace(uri, sid, iswigo.NewRandomID(), 1), nil); status != 404 || !strings.Contains(body, "This link is not valid") {
		t.Fatalf("unknown session's page: %d", status)
	}

	// The sessions of a deleted user go with it.
	sid2, uri2 := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	if err := e.db.DeleteUser(context.Background(), e.app.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := e.call(t, sid2, "providers", map[string]any{}); status != 401 && status != 410 {
		t.Fatalf("a deleted user's session answers %d", status)
	}
	if status, _, _ := get(t, uri2, nil); status != 404 && status != 410 {
		t.Fatalf("page of a deleted user's session: %d", status)
	}

	// No log line has a whole session id, the API's DELETE /v1/funnel/{id} included.
	for _, line := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(line, sid) || strings.Contains(line, sid2) {
			t.Fatalf("a session id is in the logs: %s", line)
		}
	}
}

// TestConnectionsOfOthers checks that a session reaches its user's
// connections within its action only, and never another user's.
func TestConnectionsOfOthers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a, ca := e.readyUser(t, "alice@example.com")
	b, _ := e.readyUser(t, "bob@example.com")
	newConn := func(u *iswigo.User) string {
		c := &iswigo.Connection{AppID: e.app.ID, UserID: u.ID, ProviderID: 999, AutomaticSync: true,
			Credentials: map[string]string{"login": "user1234", "password": "123456"}}
		if err := e.db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, e, u, c.ID, iswigo.StatusFinished)
		return c.ID
	}
	bobs := newConn(b)
	before := newConn(a) // created before the create session below
	other := newConn(a)

	create, _ := e.session(t, ca, map[string]any{"action": "create", "type": "bank"})
	edit, _ := e.session(t, ca, map[string]any{"action": "edit", "connections": []string{other}})
	status, _ := e.session(t, ca, map[string]any{"action": "status", "type": "document"})
	bodies := func(id string) map[string]any {
		return map[string]any{
			"form":                  map[string]any{"connection_id": id},
			"connections/update":    map[string]any{"connection_id": id, "values": map[string]string{"password": "123456"}},
			"connections/sync":      map[string]any{"connection_ids": []string{id}},
			"connections/status":    map[string]any{"connection_ids": []string{id}},
			"connections":           map[string]any{"connection_ids": []string{id}},
			"connections/step-form": map[string]any{"connection_id": id},
			"connections/step":      map[string]any{"connection_id": id, "values": map[string]string{"sms": "1234"}},
			"connections/result":    map[string]any{"connection_id": id},
			"connections/stream":    map[string]any{"connection_ids": []string{id}},
		}
	}
	for _, tc := range []struct{ session, conn, why string }{
		{create, bobs, "another user's"},
		{create, before, "created before the create session"},
		{edit, bobs, "another user's"},
		{edit, before, "not the edited one"},
		{status, other, "not of the session's type"},
	} {
		for path, body := range bodies(tc.conn) {
			out := e.mustCall(t, tc.session, path, body, 404)
			if out["error"].(map[string]any)["description"] != "Connection not found" {
				t.Fatalf("%s of a connection %s: %v", path, tc.why, out)
			}
		}
	}
	// What each session does reach.
	out := e.mustCall(t, edit, "form", map[string]any{"connection_id": other}, 200)
	if !out["edit"].(bool) || out["inputs"].([]any)[0].(map[string]any)["current"] != iswigo.MaskLogin("user1234") {
		t.Fatalf("edit form: %v", out)
	}
	if _, ok := out["inputs"].([]any)[1].(map[string]any)["current"]; ok {
		t.Fatal("the edit form shows the password")
	}
	e.mustCall(t, edit, "connections/create", map[string]any{"provider_id": 999,
		"values": map[string]string{"login": "user1234", "password": "123456"}}, 403)
	out = e.mustCall(t, status, "connections", map[string]any{}, 200)
	if n := len(out["connections"].([]any)); n != 0 {
		t.Fatalf("a document status session lists %d bank connections", n)
	}
	all, _ := e.session(t, ca, map[string]any{"action": "status"})
	out = e.mustCall(t, all, "connections", map[string]any{}, 200)
	if n := len(out["connections"].([]any)); n != 2 {
		t.Fatalf("a status session lists %d connections; want the user's 2", n)
	}
	if got, err := e.db.FindConnectionByID(ctx, e.app.ID, b.ID, bobs); err != nil || got.Status != iswigo.StatusFinished {
		t.Fatalf("bob's connection changed: %+v %v", got, err)
	}
}

// TestBudget keeps the whole flow (page, script, stylesheet, agent.js)
// under 100 KB.
func TestBudget(t *testing.T) {
	e := newEnv(t)
	_, c := e.user(t, "ada@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	_, _, page := get(t, uri, nil)
	total := len(page)
	sizes := map[string]int{"page": len(page)}
	assets := regexp.MustCompile(`(?:src|href)="(/widget/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(assets) != 4 {
		t.Fatalf("the page links %d assets; want the two scripts (flow, statements), the stylesheet and the icon", len(assets))
	}
	for _, m := range append(assets, []string{"", "/widget/agent.js"}) {
		status, _, body := get(t, e.http.URL+strings.ReplaceAll(m[1], "&amp;", "&"), nil)
		if status != 200 {
			t.Fatalf("%s: %d", m[1], status)
		}
		sizes[m[1]] = len(body)
		total += len(body)
	}
	t.Logf("sizes: %v, total %d bytes", sizes, total)
	if total > 100*1024 {
		t.Fatalf("the flow weighs %d bytes; the budget is 100 KB", total)
	}
}

// TestAssetCaching serves assets for a year at their versioned URL.
func TestAssetCaching(t *testing.T) {
	e := newEnv(t)
	_, _, body := get(t, e.http.URL+"/widget/?session="+iswigo.NewRandomID(), nil)
	m := regexp.MustCompile(`href="(/widget/flow\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no versioned stylesheet link")
	}
	_, h, _ := get(t, e.http.URL+m[1], nil)
	if !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Fatalf("versioned asset: Cache-Control %q", h.Get("Cache-Control"))
	}
	_, h, _ = get(t, e.http.URL+"/widget/agent.js", nil)
	if h.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("agent.js: Cache-Control %q", h.Get("Cache-Control"))
	}
}
