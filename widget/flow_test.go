// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/iswigo/iswigo"
)

// TestEmbeddedCreateFlow embeds the funnel of a non-PSD2 application in a
// page of another site with agent.js, and goes through every screen of a
// creation as a person would: terms, e-mail code (read from the outbox),
// provider search, credentials, live progress, SMS step, success. The host
// page's callbacks and DOM events are checked in order, then the
// connection through the API.
func TestEmbeddedCreateFlow(t *testing.T) {
	var hostHTML string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(hostHTML))
	}))
	defer host.Close()
	// Another site: the host is reached as localhost, the widget as 127.0.0.1.
	hostURL := strings.Replace(host.URL, "127.0.0.1", "localhost", 1)
	e := newEnv(t, hostURL)
	u, c := e.user(t, "hector@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create bank"})
	hostHTML = hostPage(e.http.URL+"/widget/agent.js", uri)

	ctx := browser(t, 40*time.Second)
	do(t, ctx, "open the host page", chromedp.Navigate(hostURL+"/"))
	if n := eval[int](t, ctx, `window.queuedBeforeLoad`); n != 2 {
		t.Fatalf("%d calls queued before agent.js loaded; want 2 (init, start)", n)
	}
	visible(t, ctx, "dialog.iswigo-widget iframe")
	if role := eval[string](t, ctx, `document.querySelector('dialog.iswigo-widget').getAttribute('role')`); role != "dialog" {
		t.Fatalf("overlay role = %q", role)
	}
	f := frame(t, ctx, e.http.URL+"/widget/")
	// A message that does not come from the widget's frame is no event.
	eval[chromedp.Void](t, ctx, `window.postMessage({iswigo: 1, type: 'event', name: 'tosAccepted', detail: {user_id: 'forged'}}, '*')`)

	// 1. Terms of service.
	visible(t, f, "#s-terms h1")
	if q := eval[string](t, f, `location.search`); strings.Contains(q, "session") {
		t.Fatalf("the session id stays in the page's URL: %q", q)
	}
	shot(t, ctx, "01-terms")
	axeCheck(t, f, "01-terms")
	click(t, f, "#terms-submit")
	wantText(t, f, "#terms-accept-err", "Tick the box")
	click(t, f, "#terms-accept")
	click(t, f, "#terms-submit")

	// 2. E-mail validation: the address given, then the code mailed to it.
	visible(t, f, "#f-email #email")
	if v := eval[string](t, f, `document.getElementById('email').value`); v != "hector@example.com" {
		t.Fatalf("e-mail field = %q; want the user's address", v)
	}
	shot(t, ctx, "02-email")
	axeCheck(t, f, "02-email")
	clearField(t, f, "#email")
	typeIn(t, f, "#email", "hector.contact@example.com")
	click(t, f, "#email-submit")
	visible(t, f, "#f-code #code")
	wantText(t, f, "#code-p", "hector.contact@example.com")
	code := e.lastCode(t, "hector.contact@example.com")
	typeIn(t, f, "#code", code)
	shot(t, ctx, "03-email-code")
	axeCheck(t, f, "03-email-code")
	click(t, f, "#code-submit")

	// 3. Provider selection, searched by name.
	visible(t, f, `#providers button[data-provider="999"]`)
	shot(t, ctx, "04-providers")
	axeCheck(t, f, "04-providers")
	typeIn(t, f, "#search", "secure")
	until(t, f, `document.querySelectorAll('#providers button').length === 1 && !!document.querySelector('#providers button[data-provider="998"]')`)
	clearField(t, f, "#search")
	typeIn(t, f, "#search", "Sandbox Bank")
	until(t, f, `!!document.querySelector('#providers button[data-provider="999"]') && !document.querySelector('#providers button[data-provider="996"]')`)
	click(t, f, `#providers button[data-provider="999"]`)

	// 4. Credentials, generated from the provider's inputs.
	visible(t, f, "#s-credentials")
	wantText(t, f, "#creds-h", "Connect to Sandbox Bank")
	attrs := eval[map[string]string](t, f, `(function(){var i=document.querySelectorAll('#creds-fields input');
		return {login: i[0].type+' '+i[0].maxLength+' '+i[0].minLength+' '+document.querySelector('label[for="'+i[0].id+'"]').textContent,
		        password: i[1].type+' '+i[1].maxLength+' '+i[1].autocomplete}})()`)
	// An English session shows the sandbox's English labels (its own are French).
	if attrs["login"] != "text 32 6 Login" || attrs["password"] != "password 32 current-password" {
		t.Fatalf("generated fields: %v", attrs)
	}
	typeIn(t, f, `#creds-fields input[name="login"]`, "sms")
	click(t, f, "#creds-submit")
	wantText(t, f, `#creds-fields .err`, "At least 6 characters")
	typeIn(t, f, `#creds-fields input[name="login"]`, "user42")
	typeIn(t, f, `#creds-fields input[name="password"]`, "123456")
	shot(t, ctx, "05-credentials")
	axeCheck(t, f, "05-credentials")
	click(t, f, "#creds-submit")

	// 5. Synchronization: the progress bar moves.
	visible(t, f, "#s-sync")
	until(t, f, `(function(){var p=document.querySelector('#sync-list progress');return !!p&&p.value>0&&p.value<100})()`)
	shot(t, ctx, "06-sync")
	axeCheck(t, f, "06-sync")

	// 6. The SMS step.
	visible(t, f, "#s-step #step-fields input")
	wantText(t, f, "#step-title", "Sandbox Bank")
	wantText(t, f, "#step-title", iswigo.MaskLogin("smsuser42"))
	if im := eval[string](t, f, `document.querySelector('#step-fields input').inputMode`); im != "numeric" {
		t.Fatalf("the SMS code field's inputmode = %q", im)
	}
	shot(t, ctx, "07-step")
	axeCheck(t, f, "07-step")
	typeIn(t, f, "#step-fields input", "1234")
	click(t, f, "#step-submit")

	// 7. Success, with the accounts found.
	visible(t, f, "#s-result")
	wantText(t, f, "#result-h", "Your accounts are connected")
	visible(t, f, "#result-list li ul li")
	shot(t, ctx, "08-result")
	axeCheck(t, f, "08-result")
	visible(t, f, "#s-result [data-close]") // shown once embedded
	do(t, f, "focus the flow", chromedp.Focus(chromedp.CSS("#s-result [data-close]")))
	// Escape closes the overlay, which may remove the frame before the key
	// is released.
	if err := chromedp.Do(f, chromedp.KeyEvent(kb.Escape)); err != nil && !errors.Is(err, chromedp.ErrTargetDetached) {
		t.Fatalf("press Escape: %v", err)
	}
	until(t, ctx, `!document.querySelector('dialog.iswigo-widget')`)

	var log []hostEvent
	if err := json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(window.log)`)), &log); err != nil {
		t.Fatal(err)
	}
	want := []string{"widgetOpened", "tosDisplayed", "tosAccepted", "emailDisplayed", "emailDone", "providersDisplayed",
		"connectionCreationDisplayed", "connectionCreationDone", "connectionSyncAsked", "connectionStepDisplayed",
		"connectionStepDone", "connectionSyncDone", "widgetClosed"}
	domName := map[string]string{}
	for _, ev := range hostEvents {
		domName[ev[0]] = ev[1]
	}
	var callbacks, doms []string
	for i, ev := range log {
		if ev.Type != domName[ev.Name] {
			t.Fatalf("event %d %s: type %q; want %q", i, ev.Name, ev.Type, domName[ev.Name])
		}
		if ev.Detail["user_id"] != u.ID {
			t.Fatalf("event %d %s: user_id %v; want %s", i, ev.Name, ev.Detail["user_id"], u.ID)
		}
		if ev.Via == "callback" {
			callbacks = append(callbacks, ev.Name)
		} else {
			doms = append(doms, ev.Name)
		}
	}
	if strings.Join(callbacks, " ") != strings.Join(want, " ") || strings.Join(doms, " ") != strings.Join(want, " ") {
		t.Fatalf("callbacks:\n%v\nDOM events:\n%v\nwant both:\n%v", callbacks, doms, want)
	}

	conns, err := c.Connections(context.Background(), "", iswigo.Range{From: 0, To: 19})
	if err != nil || len(conns) != 1 {
		t.Fatalf("connections through the API: %v %v", conns, err)
	}
	id := conns[0].ConnectionID
	details := map[string]map[string]any{}
	for _, ev := range log {
		details[ev.Name] = ev.Detail
	}
	for name, fields := range map[string]map[string]any{
		"providersDisplayed":          {"parent_provider_id": nil},
		"connectionCreationDisplayed": {"provider_id": 999.0},
		"connectionCreationDone":      {"provider_id": 999.0, "connection_id": id},
		"connectionSyncAsked":         {"connection_id": id},
		"connectionStepDisplayed":     {"connection_id": id, "step": "sms"},
		"connectionStepDone":          {"connection_id": id, "step": "sms"},
		"connectionSyncDone":          {"connection_id": id, "status": "finished"},
	} {
		for k, v := range fields {
			got, ok := details[name][k]
			if !ok || got != v {
				t.Errorf("%s.detail.%s = %v (present %v); want %v", name, k, got, ok, v)
			}
		}
	}
	if e.requests("/widget/api/connections/stream") == 0 {
		t.Fatal("the page did not follow the progress stream")
	}
	st, err := c.ConnectionStatus(context.Background(), id)
	if err != nil || st.Status != iswigo.StatusFinished || conns[0].Login != iswigo.MaskLogin("smsuser42") || conns[0].ProviderID != 999 {
		t.Fatalf("connection %+v, status %+v, %v", conns[0], st, err)
	}
}

// TestWrongPasswordThenEdit shows errno 2's message with the edition of
// the credentials as next step, and the edition that fixes them.
func TestWrongPasswordThenEdit(t *testing.T) {
	e := newEnv(t)
	u, c := e.readyUser(t, "clara@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "provider": 999})
	ctx := browser(t, 30*time.Second)
	problems := consoleProblems(ctx)
	do(t, ctx, "open the flow", chromedp.Navigate(uri))

	// The provider is fixed: the flow starts at its credentials.
	visible(t, ctx, "#s-credentials")
	if back := eval[bool](t, ctx, `document.getElementById('creds-back').hidden`); !back {
		t.Fatal("a Back button leads to the provider list of a session with a fixed provider")
	}
	typeIn(t, ctx, `#creds-fields input[name="login"]`, "user1234")
	typeIn(t, ctx, `#creds-fields input[name="password"]`, "000000")
	click(t, ctx, "#creds-submit")

	// The bank refuses the password (errno 2, after the submit): back on
	// the form, the error on the password field, which has the focus.
	wantText(t, ctx, "#creds-h", "Update your credentials for Sandbox Bank")
	pw := `#creds-fields input[name="password"]`
	until(t, ctx, `document.activeElement === document.querySelector('`+pw+`')`)
	if got := eval[string](t, ctx, `(function(i){return i.getAttribute('aria-invalid')+' '+document.getElementById(i.getAttribute('aria-describedby').split(' ').pop()).textContent})(document.querySelector('`+pw+`'))`); got != "true Your bank refused this login or password. Check them and try again." {
		t.Fatalf("the password field after errno 2: %q", got)
	}
	wantText(t, ctx, "#creds-fields .hint", iswigo.MaskLogin("user1234"))
	if v := eval[string](t, ctx, `Array.from(document.querySelectorAll('#creds-fields input')).map(function(i){return i.value}).join('|')`); v != "|" {
		t.Fatalf("the edition form shows values %q; want every field empty", v)
	}
	shot(t, ctx, "10-edit")
	axeCheck(t, ctx, "10-edit")
	typeIn(t, ctx, `#creds-fields input[name="password"]`, "123456")
	click(t, ctx, "#creds-submit")
	visible(t, ctx, "#s-result")
	wantText(t, ctx, "#result-h", "Your accounts are connected")

	conns, _, err := e.db.FindConnections(context.Background(), iswigo.ConnectionFilter{AppID: e.app.ID, UserID: u.ID, Range: iswigo.Range{From: 0, To: 9}})
	if err != nil || len(conns) != 1 || conns[0].Status != iswigo.StatusFinished {
		t.Fatalf("connections: %v %v", conns, err)
	}
	creds, err := e.db.FindConnectionCredentials(context.Background(), e.app.ID, u.ID, conns[0].ID)
	if err != nil || creds["login"] != "user1234" || creds["password"] != "123456" {
		t.Fatalf("credentials after the edition: %v %v", creds, err)
	}
	if p := problems(); len(p) > 0 {
		t.Fatalf("the browser reported problems (CSP violations, errors):\n%s", strings.Join(p, "\n"))
	}
}

// TestEndedSessionPage shows what a deleted, an expired and an unknown
// session's page says, in English and French, and a session deleted while
// its page is open.
func TestEndedSessionPage(t *testing.T) {
	e := newEnv(t)
	_, c := e.readyUser(t, "ada@example.com")
	ctx := browser(t, 30*time.Second)

	sid, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	do(t, ctx, "open the flow", chromedp.Navigate(uri))
	visible(t, ctx, `#providers button[data-provider="999"]`)
	if err := c.DeleteFunnelSession(context.Background(), sid); err != nil {
		t.Fatal(err)
	}
	// The next request of the open page is refused: it says so.
	click(t, ctx, `#providers button[data-provider="999"]`)
	visible(t, ctx, "#s-ended")
	wantText(t, ctx, "#s-ended h1", "This session has ended")

	problems := consoleProblems(ctx)
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(uri))
	if err != nil || resp.Status != http.StatusGone {
		t.Fatalf("deleted session's page: %v %v", resp, err)
	}
	wantText(t, ctx, "h1", "This session has ended")
	shot(t, ctx, "11-ended")
	axeCheck(t, ctx, "11-ended")
	do(t, ctx, "open in French", chromedp.Navigate(uri+"&lang=fr"))
	wantText(t, ctx, "h1", "Cette session est terminée")
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "fr" {
		t.Fatalf("lang = %q", lang)
	}

	_, uri2 := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	e.skew.Store(int64(2 * time.Hour))
	do(t, ctx, "open an expired session", chromedp.Navigate(uri2))
	wantText(t, ctx, "h1", "This session has ended")
	e.skew.Store(0)

	u, _ := url.Parse(uri)
	u.RawQuery = "session=" + iswigo.NewRandomID()
	resp, err = chromedp.Run(ctx, chromedp.NavigateResponse(u.String()))
	if err != nil || resp.Status != http.StatusNotFound {
		t.Fatalf("unknown session's page: %v %v", resp, err)
	}
	wantText(t, ctx, "h1", "This link is not valid")
	shot(t, ctx, "12-unknown")
	axeCheck(t, ctx, "12-unknown")
	// The script of these pages runs without error (the 404 and 410 of the
	// documents themselves are the only errors).
	for _, p := range problems() {
		if !strings.Contains(p, "status of 410") && !strings.Contains(p, "status of 404") {
			t.Errorf("browser problem: %s", p)
		}
	}
}

// TestKeyboardOnly goes through a whole creation with the keyboard alone
// (Tab, Space, Enter, typing) on a 320 px wide screen, the progress read by
// polling (the stream is blocked), checking that the focus is visible.
func TestKeyboardOnly(t *testing.T) {
	e := newEnv(t)
	_, c := e.user(t, "grace@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	ctx := browser(t, 40*time.Second)
	emulateNarrow(t, ctx)
	block(t, ctx, "*://*:*/widget/api/connections/stream")
	do(t, ctx, "open the flow", chromedp.Navigate(uri))

	press := func(keys string) { do(t, ctx, "press "+keys, chromedp.KeyEvent(keys)) }
	tabTo := func(sel string) {
		t.Helper()
		for i := 0; i < 15; i++ {
			if eval[bool](t, ctx, `!!document.activeElement && document.activeElement.matches(`+jsString(sel)+`)`) {
				if style := eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
					t.Fatalf("%s has the focus but no visible outline", sel)
				}
				return
			}
			press("\t")
		}
		t.Fatalf("Tab does not reach %s (focus on %s)", sel, eval[string](t, ctx, `document.activeElement.outerHTML.slice(0,120)`))
	}

	visible(t, ctx, "#s-terms")
	noHorizontalScroll(t, ctx, "terms")
	tabTo("#terms-accept")
	press(" ")
	tabTo("#terms-submit")
	press("\r")

	visible(t, ctx, "#f-email")
	noHorizontalScroll(t, ctx, "e-mail")
	tabTo("#email")
	press("\r") // the user's address, prefilled
	visible(t, ctx, "#f-code")
	tabTo("#code")
	press(e.lastCode(t, "grace@example.com") + "\r")

	visible(t, ctx, "#s-providers")
	tabTo("#search")
	press("sandbox bank")
	until(t, ctx, `!document.querySelector('#providers button[data-provider="996"]')`)
	noHorizontalScroll(t, ctx, "providers")
	tabTo(`#providers button[data-provider="999"]`)
	press("\r")

	visible(t, ctx, "#s-credentials")
	noHorizontalScroll(t, ctx, "credentials")
	tabTo(`#creds-fields input[name="login"]`)
	press("smskeyboard")
	tabTo(`#creds-fields input[name="password"]`)
	press("123456\r")

	visible(t, ctx, "#s-sync")
	visible(t, ctx, "#s-step")
	noHorizontalScroll(t, ctx, "step")
	tabTo("#step-fields input")
	press("1234\r")

	visible(t, ctx, "#s-result")
	wantText(t, ctx, "#result-h", "Your accounts are connected")
	noHorizontalScroll(t, ctx, "result")
	shot(t, ctx, "13-result-320px")
	axeCheck(t, ctx, "13-result-320px")
	if e.requests("/widget/api/connections/stream") != 0 || e.requests("/widget/api/connections/status") == 0 {
		t.Fatalf("with the stream blocked, the page made %d stream and %d status requests; want polling only",
			e.requests("/widget/api/connections/stream"), e.requests("/widget/api/connections/status"))
	}
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestFrench shows the flow in French, chosen by ?lang=fr and by
// Accept-Language.
func TestFrench(t *testing.T) {
	e := newEnv(t)
	_, c := e.user(t, "marie@example.com")
	ctx := browser(t, 30*time.Second)

	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	do(t, ctx, "open in French", chromedp.Navigate(uri+"&lang=fr"))
	visible(t, ctx, "#s-terms")
	wantText(t, ctx, "#s-terms h1", "Conditions d'utilisation")
	wantText(t, ctx, "#s-terms", "Conditions du 1er octobre 2019.")
	wantText(t, ctx, "#terms-submit", "Continuer")
	shot(t, ctx, "14-fr-terms")
	axeCheck(t, ctx, "14-fr-terms")

	setHeaders(t, ctx, map[string]any{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
	_, uri = e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	do(t, ctx, "open with Accept-Language fr", chromedp.Navigate(uri))
	visible(t, ctx, "#s-terms")
	wantText(t, ctx, "#s-terms h1", "Conditions d'utilisation")
	click(t, ctx, "#terms-submit")
	wantText(t, ctx, "#terms-accept-err", "Cochez la case")
	click(t, ctx, "#terms-accept")
	click(t, ctx, "#terms-submit")
	visible(t, ctx, "#f-email")
	wantText(t, ctx, "#s-email h1", "Votre adresse e-mail")
	clearField(t, ctx, "#email")
	typeIn(t, ctx, "#email", "pas une adresse")
	click(t, ctx, "#email-submit")
	wantText(t, ctx, "#email-err", "Saisissez une adresse e-mail valide")
	shot(t, ctx, "15-fr-email-error")
	axeCheck(t, ctx, "15-fr-email-error")
}

// TestStatusAndSync shows a status session's list and runs a sync
// session's synchronization.
func TestStatusAndSync(t *testing.T) {
	e := newEnv(t)
	u, c := e.readyUser(t, "alan@example.com")
	conn := &iswigo.Connection{AppID: e.app.ID, UserID: u.ID, ProviderID: 999, AutomaticSync: true,
		Credentials: map[string]string{"login": "lockeduser", "password": "123456"}}
	if err := e.db.CreateConnection(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, e, u, conn.ID, iswigo.StatusError)
	ctx := browser(t, 30*time.Second)

	_, uri := e.session(t, c, map[string]any{"action": "status"})
	do(t, ctx, "open a status session", chromedp.Navigate(uri))
	visible(t, ctx, "#s-result")
	wantText(t, ctx, "#result-h", "Your connections")
	wantText(t, ctx, "#result-list li h2", "Sandbox Bank")
	wantText(t, ctx, `#result-list [data-errno="8"]`, "locked by your bank")
	if n := eval[int](t, ctx, `document.querySelectorAll('#result-list button[data-action]').length`); n != 0 {
		t.Fatalf("%d actions offered for errno 8; want none (contact the bank)", n)
	}
	shot(t, ctx, "16-status")
	axeCheck(t, ctx, "16-status")
	// A reload finds the session again, though it left the address.
	if u := eval[string](t, ctx, `location.href`); strings.Contains(u, "session") {
		t.Fatalf("the session id stays in the address: %s", u)
	}
	do(t, ctx, "reload", chromedp.Reload())
	visible(t, ctx, `#result-list [data-errno="8"]`)

	// A connection that works: synchronized by a sync session.
	ok := &iswigo.Connection{AppID: e.app.ID, UserID: u.ID, ProviderID: 999, AutomaticSync: true,
		Credentials: map[string]string{"login": "user5678", "password": "123456"}}
	if err := e.db.CreateConnection(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, e, u, ok.ID, iswigo.StatusFinished)
	_, uri = e.session(t, c, map[string]any{"action": "sync", "connections": []string{ok.ID}})
	do(t, ctx, "open a sync session", chromedp.Navigate(uri))
	visible(t, ctx, "#s-sync")
	shot(t, ctx, "17-sync-action")
	axeCheck(t, ctx, "17-sync-action")
	visible(t, ctx, "#s-result")
	wantText(t, ctx, "#result-h", "Your accounts are connected")
	if n := eval[int](t, ctx, `document.querySelectorAll('#result-list > li').length`); n != 1 {
		t.Fatalf("the sync session shows %d connections; want the one it names", n)
	}
}

// waitStatus waits until the connection's status is want.
func waitStatus(t *testing.T, e *testEnv, u *iswigo.User, id, want string) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		c, err := e.db.FindConnectionByID(context.Background(), e.app.ID, u.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("connection %s is %s; want %s", id, c.Status, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
