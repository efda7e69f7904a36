// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/widget"
)

// claim posts to the claim URL of a setup token and returns the status and body.
func claim(t *testing.T, setupToken string) (int, string) {
	t.Helper()
	u, err := base64.StdEncoding.DecodeString(setupToken)
	if err != nil {
		t.Fatalf("setup token %q: %v", setupToken, err)
	}
	resp, err := http.Post(string(u), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSimpleFINAction(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, c := e.user(t, "sfin@example.com")
	sid, _ := e.session(t, c, map[string]any{"action": "simplefin"})
	status, _, body := e.call(t, sid, "simplefin/token", map[string]any{})
	if status != http.StatusCreated {
		t.Fatalf("simplefin/token: %d %v", status, body)
	}
	token, _ := body["setup_token"].(string)
	if code, access := claim(t, token); code != http.StatusOK || !strings.HasSuffix(access, "/simplefin") {
		t.Fatalf("claim: %d %s", code, access)
	}
	if tokens, err := c.SimpleFINTokens(ctx); err != nil || len(tokens) != 1 || tokens[0].Accounts != nil {
		t.Fatalf("tokens = %+v, %v", tokens, err)
	}
	// Another action's session may not create tokens.
	other, _ := e.session(t, c, map[string]any{"action": "status"})
	if status, _, _ := e.call(t, other, "simplefin/token", map[string]any{}); status != http.StatusForbidden {
		t.Fatalf("status session: %d; want 403", status)
	}
	// The action has no type.
	if _, err := c.CreateFunnelSession(ctx, map[string]any{"action": "simplefin bank"}); iswigo.ErrorCode(err) != iswigo.EINVALID {
		t.Fatalf("simplefin bank: %v; want EINVALID", err)
	}
}

func TestSimpleFINMessages(t *testing.T) {
	for key := range simplefinKeys(t, "en") {
		if _, ok := simplefinKeys(t, "fr")[key]; !ok {
			t.Errorf("fr lacks %q", key)
		}
	}
	for key := range simplefinKeys(t, "fr") {
		if _, ok := simplefinKeys(t, "en")[key]; !ok {
			t.Errorf("en lacks %q", key)
		}
	}
}

func TestSimpleFINPageInChromium(t *testing.T) {
	e := newEnv(t)
	_, c := e.user(t, "sfin-browser@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "simplefin"})
	ctx := browser(t, time.Minute)
	do(t, ctx, "open the simplefin page in French", chromedp.Navigate(uri+"&lang=fr"))
	wantText(t, ctx, "h1", "Connecter une application de budget avec SimpleFIN")
	if got := eval[string](t, ctx, `location.search`); strings.Contains(got, "session") {
		t.Fatalf("the session id stays in the address bar: %s", got)
	}
	shot(t, ctx, "simplefin-1-start")
	click(t, ctx, "#sf-create")
	visible(t, ctx, "#sf-token")
	wantText(t, ctx, "#sf-token-p", "Collez-le")
	token := eval[string](t, ctx, `document.getElementById('sf-token').value`)
	shot(t, ctx, "simplefin-2-token")
	click(t, ctx, "#sf-copy")
	until(t, ctx, `document.getElementById('live').textContent !== ''`)
	if code, access := claim(t, token); code != http.StatusOK || !strings.HasPrefix(access, "http://") {
		t.Fatalf("claim of the token shown: %d %s", code, access)
	}
	if code, _ := claim(t, token); code != http.StatusForbidden {
		t.Fatalf("second claim: %d; want 403", code)
	}
}

func simplefinKeys(t *testing.T, lang string) map[string]string {
	t.Helper()
	m := widget.SimpleFINMessages[lang]
	if len(m) == 0 {
		t.Fatalf("no %s messages", lang)
	}
	return m
}

// TestEmbeddedSimpleFINPage opens the simplefin page in an application's
// page through agent.js: it says it opened, creates a token, and closes.
func TestEmbeddedSimpleFINPage(t *testing.T) {
	var hostHTML string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(hostHTML))
	}))
	defer host.Close()
	hostURL := strings.Replace(host.URL, "127.0.0.1", "localhost", 1) // another site
	e := newEnv(t, hostURL)
	_, c := e.user(t, "sfin-embedded@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "simplefin"})
	hostHTML = hostPage(e.http.URL+"/widget/agent.js", uri)

	ctx := browser(t, time.Minute)
	do(t, ctx, "open the host page", chromedp.Navigate(hostURL+"/"))
	visible(t, ctx, "dialog.iswigo-widget iframe")
	f := frame(t, ctx, e.http.URL+"/widget/")
	wantText(t, f, "h1", "Connect a budgeting app with SimpleFIN")
	click(t, f, "#sf-create")
	visible(t, f, "#sf-token")
	if code, _ := claim(t, eval[string](t, f, `document.getElementById('sf-token').value`)); code != http.StatusOK {
		t.Fatalf("claim of the token shown: %d", code)
	}
	visible(t, f, "#s-simplefin-token [data-close]") // shown once embedded
	click(t, f, "#s-simplefin-token [data-close]")
	until(t, ctx, `!document.querySelector('dialog.iswigo-widget')`)
	var log []hostEvent
	if err := json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(window.log)`)), &log); err != nil {
		t.Fatal(err)
	}
	opened := false
	for _, ev := range log {
		if ev.Name == "widgetOpened" && ev.Detail["action"] == "simplefin" {
			opened = true
		}
	}
	if !opened {
		t.Fatalf("no widgetOpened with action simplefin in %+v", log)
	}
}
