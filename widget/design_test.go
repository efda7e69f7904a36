// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/internal/servertest"
)

// hostServer serves the page of an application embedding the funnel, on
// another site than the widget's (localhost instead of 127.0.0.1).
func hostServer(t *testing.T) (*httptest.Server, string, *string) {
	html := new(string)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(*html))
	}))
	t.Cleanup(host.Close)
	return host, strings.Replace(host.URL, "127.0.0.1", "localhost", 1), html
}

// noOverlap fails when the close button of the frame's header covers any
// heading of the screen shown.
func noOverlap(t *testing.T, f context.Context, screen string) {
	t.Helper()
	got := eval[string](t, f, `(function(){
		var x = document.querySelector('button.x').getBoundingClientRect(), bad = [];
		if (x.width === 0) return 'the close button is not shown';
		document.querySelectorAll('h1, h2, .screen:not([hidden]) p, label').forEach(function (h) {
			if (h.offsetParent === null) return;
			var r = h.getBoundingClientRect();
			if (r.left < x.right && r.right > x.left && r.top < x.bottom && r.bottom > x.top) bad.push(h.textContent.trim());
		});
		if (document.querySelector('button.x').closest('header') === null) bad.push('the close button is outside the header');
		return bad.join(' | ');
	})()`)
	if got != "" {
		t.Fatalf("%s at 320px: the close button covers %s", screen, got)
	}
}

// jsClick clicks sel from the page's script: in a frame of an emulated
// narrow screen, the input events' coordinates do not reach it.
func jsClick(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	visible(t, ctx, sel)
	eval[bool](t, ctx, `(function(e){e.click();return true})(document.querySelector(`+jsString(sel)+`))`)
}

// jsType sets the value of the field sel as typing it would.
func jsType(t *testing.T, ctx context.Context, sel, v string) {
	t.Helper()
	visible(t, ctx, sel)
	eval[bool](t, ctx, `(function(e){e.value+=`+jsString(v)+`;e.dispatchEvent(new Event('input',{bubbles:true}));return true})(document.querySelector(`+jsString(sel)+`))`)
}

// TestCloseButtonInHeader embeds the flow at 320×640 in French (the
// longest headings) and checks on each screen that the close button,
// in the frame's header row, covers no text; the host page draws no
// button of its own over the frame.
func TestCloseButtonInHeader(t *testing.T) {
	_, hostURL, html := hostServer(t)
	e := newEnv(t, hostURL)
	_, c := e.user(t, "lea@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create bank"})
	*html = strings.Replace(hostPage(e.http.URL+"/widget/agent.js", uri+"&lang=fr"), `lang="en"`, `lang="fr"`, 1)
	ctx := browser(t, 40*time.Second)
	emulateNarrow(t, ctx)
	do(t, ctx, "open the host page", chromedp.Navigate(hostURL+"/"))
	f := frame(t, ctx, e.http.URL+"/widget/")
	visible(t, f, "#s-terms h1")
	visible(t, f, "button.x")
	if n := eval[int](t, ctx, `document.querySelectorAll('dialog.iswigo-widget button').length`); n != 0 {
		t.Fatalf("the host page draws %d buttons over the frame", n)
	}
	noOverlap(t, f, "terms")
	if steps := text(t, f, "#steps"); !strings.Contains(steps, "Conditions") || !strings.Contains(steps, "Terminé") {
		t.Fatalf("step indicator: %q", steps)
	}
	if cur := eval[string](t, f, `document.querySelector('#steps [aria-current=step]').textContent`); cur != "Conditions" {
		t.Fatalf("current step %q", cur)
	}
	jsClick(t, f, "#terms-accept")
	jsClick(t, f, "#terms-submit")
	visible(t, f, "#f-email")
	noOverlap(t, f, "e-mail")
	// The validation e-mail is in the session's language, with the app's name.
	jsClick(t, f, "#email-submit")
	visible(t, f, "#f-code")
	msgs, err := e.outbox.Messages()
	if err != nil || len(msgs) == 0 {
		t.Fatalf("outbox: %v %v", msgs, err)
	}
	if m := msgs[len(msgs)-1]; !strings.Contains(m.Subject, "Votre code de validation plain-app") || !strings.Contains(m.Body, "Bonjour") {
		t.Fatalf("validation e-mail of a French session: %q %q", m.Subject, m.Body)
	}
	jsType(t, f, "#code", e.lastCode(t, "lea@example.com"))
	jsClick(t, f, "#code-submit")
	visible(t, f, `#providers button[data-provider="999"]`)
	noOverlap(t, f, "providers")
	// Plural forms: one result in French is singular.
	jsType(t, f, "#search", "securekey")
	wantText(t, f, "#providers-count", "1 résultat")
	if got := text(t, f, "#providers-count"); got != "1 résultat" {
		t.Fatalf("count %q", got)
	}
	jsClick(t, f, `#providers button[data-provider="998"]`)
	visible(t, f, "#s-credentials")
	noOverlap(t, f, "credentials")
	wantText(t, f, "#creds-bank", "Sandbox SecureKey Bank")
	wantText(t, f, "#creds-fields", "Numéro de compte (ou identifiant)")
	// In the dark theme the close button is the theme's text on nothing,
	// not a white disc.
	do(t, ctx, "dark theme", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	}))
	until(t, f, `getComputedStyle(document.documentElement).backgroundColor === 'rgb(13, 17, 23)'`)
	if x := eval[string](t, f, `(function(s){return s.backgroundColor+' '+s.color})(getComputedStyle(document.querySelector('button.x')))`); x != "rgba(0, 0, 0, 0) rgb(230, 237, 243)" {
		t.Fatalf("the dark close button: background and color %s", x)
	}
}

// TestDisallowedOrigin embeds the flow in a page whose origin the
// application does not allow: the frame is refused (frame-ancestors);
// agent.js fires widgetError with the reason and shows a readable message.
func TestDisallowedOrigin(t *testing.T) {
	_, hostURL, html := hostServer(t)
	e := newEnv(t, "https://allowed.example")
	_, c := e.user(t, "ivan@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create bank"})
	*html = strings.Replace(hostPage(e.http.URL+"/widget/agent.js", uri), `window.iswigo('init', opts);`,
		`document.addEventListener('iswigo.widget.error', function (e) { log.push({via: 'dom', name: 'widgetError', type: e.type, detail: e.detail}); });
window.iswigo('init', opts);`, 1)
	ctx := browser(t, 30*time.Second)
	do(t, ctx, "open the host page", chromedp.Navigate(hostURL+"/"))
	visible(t, ctx, "dialog.iswigo-widget .iswigo-error")
	wantText(t, ctx, ".iswigo-error", "This service cannot be shown on this site")
	var log []hostEvent
	if err := json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(window.log)`)), &log); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range log {
		if ev.Name == "widgetError" && ev.Type == "iswigo.widget.error" && ev.Detail["reason"] == "refused" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no widgetError with reason refused: %+v", log)
	}
	if role := eval[string](t, ctx, `document.querySelector('.iswigo-error').getAttribute('role')`); role != "alert" {
		t.Fatalf("the message's role is %q", role)
	}
	axeCheck(t, ctx, "refused frame")
	click(t, ctx, ".iswigo-error button")
	until(t, ctx, `!document.querySelector('dialog.iswigo-widget')`)
	// A French host page reads the message in French.
	*html = strings.Replace(*html, `lang="en"`, `lang="fr"`, 1)
	do(t, ctx, "open the French host page", chromedp.Navigate(hostURL+"/"))
	wantText(t, ctx, ".iswigo-error", "Ce service ne peut pas s’afficher sur ce site")
}

// TestSlowFunnelNotRefused embeds a funnel whose page and script take
// seconds to arrive (a slow server, a slow network): the flow's handshake
// comes with its page, however late, so agent.js reports no refusal.
func TestSlowFunnelNotRefused(t *testing.T) {
	_, hostURL, html := hostServer(t)
	e := newEnv(t, hostURL)
	_, c := e.user(t, "sloane@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create bank"})
	target, err := url.Parse(e.http.URL)
	if err != nil {
		t.Fatal(err)
	}
	// slow delays the flow page and its script by 2.5 s each.
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.FlushInterval = -1
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/widget/" || r.URL.Path == "/widget/flow.js" {
			time.Sleep(2500 * time.Millisecond)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	*html = strings.Replace(hostPage(e.http.URL+"/widget/agent.js", strings.Replace(uri, e.http.URL, slow.URL, 1)), `window.iswigo('init', opts);`,
		`document.addEventListener('iswigo.widget.error', function (e) { log.push({via: 'dom', name: 'widgetError', type: e.type, detail: e.detail}); });
window.frameLoads = 0;
new MutationObserver(function () {
  var f = document.querySelector('dialog.iswigo-widget iframe');
  if (f && !f.counted) { f.counted = true; f.addEventListener('load', function () { frameLoads++; }); }
}).observe(document.body, {childList: true, subtree: true});
window.iswigo('init', opts);`, 1)
	ctx := browser(t, 40*time.Second)
	do(t, ctx, "open the host page", chromedp.Navigate(hostURL+"/"))
	f := frame(t, ctx, slow.URL+"/widget/")
	visible(t, f, "#s-terms h1")
	until(t, ctx, `window.frameLoads > 0 && log.some(function (e) { return e.name === 'widgetOpened' && e.via === 'dom'; })`)
	// agent.js reports a refusal at most 1.5 s after the frame's load
	// event: wait past that bound, then nothing may have been reported.
	time.Sleep(2500 * time.Millisecond)
	if bad := eval[string](t, ctx, `JSON.stringify(log.filter(function (e) { return e.name === 'widgetError'; }))`); bad != "[]" {
		t.Fatalf("a slow funnel was reported: %s", bad)
	}
	if eval[bool](t, ctx, `!!document.querySelector('.iswigo-error')`) {
		t.Fatal("a slow funnel shows the refusal message")
	}
}

// TestNarratedProgress follows a sync with an SMS step: the connector's
// narration is shown ("Connecting to your bank…", "4 accounts found"), and
// neither the text nor the bar goes backwards, also across the step (no
// "Waiting to start" after the answer).
func TestNarratedProgress(t *testing.T) {
	e := newEnv(t)
	_, c := e.readyUser(t, "nora@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "provider": 999})
	ctx := browser(t, 40*time.Second)
	do(t, ctx, "open the flow", chromedp.Navigate(uri))
	visible(t, ctx, "#s-credentials")
	if l := text(t, ctx, `label[for="`+eval[string](t, ctx, `document.querySelector('#creds-fields input').id`)+`"]`); l != "Login" {
		t.Fatalf("English label %q", l)
	}
	// Record every text and value the sync row shows.
	eval[bool](t, ctx, `(function(){window.seen = [];
		new MutationObserver(function () {
			var p = document.querySelector('#sync-list li p'), b = document.querySelector('#sync-list progress');
			if (p) seen.push({text: p.textContent, value: b && b.hasAttribute('value') ? b.value : -1});
		}).observe(document.getElementById('main'), {subtree: true, childList: true, characterData: true, attributes: true});
		return true})()`)
	typeIn(t, ctx, `#creds-fields input[name="login"]`, "smsnora1")
	typeIn(t, ctx, `#creds-fields input[name="password"]`, "123456")
	click(t, ctx, "#creds-submit")
	visible(t, ctx, "#s-step #step-fields input")
	wantText(t, ctx, "#step-title", "Enter the code your bank")
	if l := text(t, ctx, "#step-fields label"); l != "SMS code" {
		t.Fatalf("step label %q", l)
	}
	axeCheck(t, ctx, "step")
	typeIn(t, ctx, "#step-fields input", "1234")
	click(t, ctx, "#step-submit")
	visible(t, ctx, "#s-result")
	var seen []struct {
		Text  string  `json:"text"`
		Value float64 `json:"value"`
	}
	if err := json.Unmarshal([]byte(eval[string](t, ctx, `JSON.stringify(window.seen)`)), &seen); err != nil {
		t.Fatal(err)
	}
	started, max, texts := false, -1.0, []string{}
	for _, s := range seen {
		if len(texts) == 0 || texts[len(texts)-1] != s.Text {
			texts = append(texts, s.Text)
		}
		if s.Text == "Waiting to start" && started {
			t.Fatalf("back to %q after the sync started: %v", s.Text, texts)
		}
		if s.Value >= 0 {
			started = true
			if s.Value < max {
				t.Fatalf("the bar went back from %v to %v: %v", max, s.Value, texts)
			}
			max = s.Value
		}
	}
	all := strings.Join(texts, " | ")
	for _, want := range []string{"Connecting to your bank…", "accounts found", "Retrieving transactions…"} {
		if !strings.Contains(all, want) {
			t.Errorf("the narration lacks %q: %s", want, all)
		}
	}
	// The result: balances for the locale, with the currency's symbol.
	visible(t, ctx, "#result-list .amount")
	if a := text(t, ctx, "#result-list .amount"); !strings.Contains(a, "€") {
		t.Fatalf("amount %q", a)
	}
}

// TestCompressedAssets checks that every text asset and the page are
// served gzip-compressed when asked for (and only then), and that the
// whole flow stays within its weight: 80 KB compressed.
func TestCompressedAssets(t *testing.T) {
	e := newEnv(t)
	_, c := e.readyUser(t, "otto@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create bank"})
	total := 0
	for _, u := range []string{uri, e.http.URL + "/widget/flow.js", e.http.URL + "/widget/flow.css", e.http.URL + "/widget/statements.js",
		e.http.URL + "/widget/agent.js", e.http.URL + "/widget/favicon.svg"} {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: Content-Encoding %q, Vary %q", u, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || len(plain) <= len(raw) {
			t.Fatalf("%s: %d bytes compressed to %d, %v", u, len(plain), len(raw), err)
		}
		_, h, body := get(t, u, map[string]string{"Accept-Encoding": "identity"})
		if h.Get("Content-Encoding") != "" || body != string(plain) {
			t.Fatalf("%s without gzip: Content-Encoding %q, same body %v", u, h.Get("Content-Encoding"), body == string(plain))
		}
		total += len(raw)
	}
	t.Logf("the whole flow: %d bytes compressed", total)
	if total > 80<<10 {
		t.Fatalf("the flow weighs %d bytes compressed; the budget is 80 KB", total)
	}
}

// TestBranding shows an application's branding: its name and logo in the
// header, its color on the primary action, its terms and privacy policy
// linked from a terms screen that names it; and its most used provider
// first among the banks.
func TestBranding(t *testing.T) {
	e := newEnv(t)
	e.app.Branding = iswigo.AppBranding{DisplayName: "Budget Été", LogoURL: "https://cdn.budget.example/logo.png",
		TermsURL: "https://budget.example/terms", PrivacyURL: "https://budget.example/privacy", AccentColor: "#0969da"}
	if err := e.db.UpdateApp(context.Background(), e.app); err != nil {
		t.Fatal(err)
	}
	other, _ := e.readyUser(t, "used@example.com")
	if err := e.db.CreateConnection(context.Background(), &iswigo.Connection{AppID: e.app.ID, UserID: other.ID, ProviderID: 998,
		Credentials: map[string]string{"login": "12345678901", "password": "123456", "parameter3": "memorable"}}); err != nil {
		t.Fatal(err)
	}
	_, c := e.user(t, "zoe@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	ctx := browser(t, 30*time.Second)
	do(t, ctx, "open the flow", chromedp.Navigate(uri))
	visible(t, ctx, "#s-terms")
	if got := text(t, ctx, "header .app"); got != "Budget Été" {
		t.Fatalf("header name %q", got)
	}
	if src := eval[string](t, ctx, `document.querySelector('header img.logo').getAttribute('src')`); src != "https://cdn.budget.example/logo.png" {
		t.Fatalf("logo %q", src)
	}
	wantText(t, ctx, "#s-terms", "Budget Été uses Iswigo to connect")
	wantText(t, ctx, "#s-terms", "accounts, transactions and documents")
	wantText(t, ctx, "#s-terms", "never shared with Budget Été")
	links := eval[string](t, ctx, `Array.from(document.querySelectorAll('#s-terms .links a')).map(function(a){
		return a.href+' '+a.target+' '+a.rel+' '+a.textContent}).join(' | ')`)
	if links != "https://budget.example/terms _blank noopener noreferrer Terms of service (opens in a new tab) | https://budget.example/privacy _blank noopener noreferrer Privacy policy (opens in a new tab)" {
		t.Fatalf("links: %s", links)
	}
	if bg := eval[string](t, ctx, `getComputedStyle(document.getElementById('terms-submit')).backgroundColor`); bg != "rgb(9, 105, 218)" {
		t.Fatalf("primary button %s; want the accent color", bg)
	}
	axeCheck(t, ctx, "branded terms")

	_, rc := e.readyUser(t, "max@example.com")
	_, uri = e.session(t, rc, map[string]any{"action": "create", "type": "bank"})
	do(t, ctx, "open the providers", chromedp.Navigate(uri))
	visible(t, ctx, `#providers button[data-provider="999"]`)
	if first := eval[string](t, ctx, `document.querySelector('#providers button').getAttribute('data-provider')`); first != "998" {
		t.Fatalf("first provider %s; want the application's most used, 998", first)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById('country-field').hidden`); !hidden {
		t.Fatal("a country filter among providers of one country")
	}
}

// foreignBank is a provider of another country than the sandbox's, for
// the country filter; its syncs are never run.
type foreignBank struct {
	id            int
	name, country string
}

func (b foreignBank) Provider() iswigo.Provider {
	return iswigo.Provider{ID: b.id, Name: b.name, Country: b.country, Types: []string{"bank"}, Inputs: map[string]iswigo.InputSet{
		"default": {Inputs: []iswigo.Input{{Name: "login", Type: "text", Varname: "login", Label: "Usuario"}}}}}
}

func (foreignBank) Sync(context.Context, iswigo.SyncSession) error { return nil }

// TestCountryFilterAndAccents: with providers of several countries the
// list offers a country filter; the search ignores accents and order.
func TestCountryFilterAndAccents(t *testing.T) {
	e := newEnvWith(t, func(o *servertest.Options) {
		o.Connectors = append(o.Connectors, foreignBank{1500, "Banco Ñandú Mediterráneo", "ES"}, foreignBank{1501, "Société Générale", "FR"})
	})
	_, c := e.readyUser(t, "ines@example.com")
	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	ctx := browser(t, 30*time.Second)
	do(t, ctx, "open the providers", chromedp.Navigate(uri+"&lang=fr"))
	visible(t, ctx, "#country-field #country")
	if opts := eval[string](t, ctx, `Array.from(document.querySelectorAll('#country option')).map(function(o){return o.value}).join(',')`); opts != ",ES,FR" {
		t.Fatalf("country options %q", opts)
	}
	do(t, ctx, "choose Spain", chromedp.SetValue(chromedp.CSS("#country"), "ES"))
	eval[bool](t, ctx, `(document.getElementById('country').dispatchEvent(new Event('change')), true)`)
	until(t, ctx, `document.querySelectorAll('#providers button').length === 1 && !!document.querySelector('#providers button[data-provider="1500"]')`)
	wantText(t, ctx, "#providers-count", "1 résultat")
	do(t, ctx, "all countries", chromedp.SetValue(chromedp.CSS("#country"), ""))
	typeIn(t, ctx, "#search", "generale SOCIETE")
	until(t, ctx, `document.querySelectorAll('#providers button').length === 1 && !!document.querySelector('#providers button[data-provider="1501"]')`)
	axeCheck(t, ctx, "country filter")
}

// TestStepIndicatorNarrow checks the step indicator of a creation in
// English and French: at 320 px one line names the current step ("Step 2
// of 5: E-mail") above five equal segments, from 480 px each segment
// shows its whole label; no text is cut, and the current step is marked
// for assistive technology.
func TestStepIndicatorNarrow(t *testing.T) {
	e := newEnv(t)
	u, c := e.user(t, "ugo@example.com")
	u.TermsOfService = iswigo.DateOf(time.Now())
	if err := e.db.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	_, uri := e.session(t, c, map[string]any{"action": "create", "type": "bank"})
	ctx := browser(t, 40*time.Second)
	// cut lists the visible texts of the indicator that do not fit.
	const cut = `(function(){var bad=[];
		document.querySelectorAll('#steps span, #step-now').forEach(function(e){
			if (e.offsetParent === null || e.clientWidth <= 1) return;
			if (e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).whiteSpace === 'nowrap') bad.push(e.textContent);
		});
		return bad.join(' | ')})()`
	const widths = `Array.from(document.querySelectorAll('#steps li')).map(function(li){return Math.round(li.getBoundingClientRect().width)}).join(',')`
	for _, c := range []struct {
		lang, now, current string
	}{{"en", "Step 2 of 5: E-mail", "E-mail"}, {"fr", "Étape 2 sur 5\u00a0: E-mail", "E-mail"}} {
		for _, width := range []int64{320, 480} {
			do(t, ctx, "emulate", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
					Width: width, Height: 640, DeviceScaleFactor: 1, Mobile: width < 600})
				return err
			}))
			do(t, ctx, "open the flow", chromedp.Navigate(uri+"&lang="+c.lang))
			visible(t, ctx, "#f-email #email")
			if bad := eval[string](t, ctx, cut); bad != "" {
				t.Errorf("%s at %dpx: cut text %q", c.lang, width, bad)
			}
			w := strings.Split(eval[string](t, ctx, widths), ",")
			for _, x := range w {
				if x != w[0] {
					t.Errorf("%s at %dpx: segments of unequal widths %v", c.lang, width, w)
					break
				}
			}
			if cur := eval[string](t, ctx, `document.querySelector('#steps [aria-current=step]').textContent`); cur != c.current {
				t.Errorf("%s: current step %q", c.lang, cur)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll('#steps [aria-current]').length`); n != 1 {
				t.Errorf("%s: %d current steps", c.lang, n)
			}
			labels := eval[bool](t, ctx, `document.querySelector('#steps span').offsetWidth > 1`)
			now := eval[bool](t, ctx, `document.getElementById('step-now').offsetParent !== null`)
			if width == 320 {
				if labels || !now {
					t.Errorf("%s at 320px: labels shown %v, current step line shown %v", c.lang, labels, now)
				}
				if got := text(t, ctx, "#step-now"); got != c.now {
					t.Errorf("%s: the current step line says %q; want %q", c.lang, got, c.now)
				}
				noHorizontalScroll(t, ctx, "e-mail")
			} else if !labels || now {
				t.Errorf("%s at %dpx: labels shown %v, current step line shown %v", c.lang, width, labels, now)
			} else if lines := eval[string](t, ctx, `Array.from(document.querySelectorAll('#steps span')).filter(function(e){
				return e.offsetHeight > 1.5 * parseFloat(getComputedStyle(e).lineHeight)}).map(function(e){return e.textContent}).join(' | ')`); lines != "" {
				t.Errorf("%s at %dpx: labels broken over lines: %s", c.lang, width, lines)
			}
			axeCheck(t, ctx, fmt.Sprintf("steps %s %d", c.lang, width))
		}
	}
}
