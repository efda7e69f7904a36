// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath is where the tests find Chromium (Debian's package).
const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Chromium for t and returns its context, which
// ends with t or after limit. The test is skipped when Chromium is absent,
// unless the variable CI is set: then it fails.
func browser(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("Chromium is not installed at %s (apt-get install chromium)", chromiumPath)
		}
		t.Fatalf("CI is set and Chromium is missing: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1024, 800),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(cancelCtx)
	ctx, cancel := context.WithTimeout(ctx, limit)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// waitTimeout bounds every wait for something to appear in the page.
const waitTimeout = 10 * time.Second

// do runs actions, failing t with what was being done.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(wctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// visible waits until the element sel is visible.
func visible(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("wait for %s: %v; the page shows:\n%s", sel, err, eval[string](t, ctx, `document.body.innerText`))
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	v, err := chromedp.Run(wctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// until waits until the JavaScript expression is true.
func until(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		t.Fatalf("wait until %s: %v; the page shows:\n%s", expr, err, eval[string](t, ctx, `document.body.innerText`))
	}
}

// text returns the text of the element sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent.trim()`, sel))
}

// wantText waits until the element sel's text contains want.
func wantText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	expr := fmt.Sprintf(`(function(){var e=document.querySelector(%q);return !!e&&e.offsetParent!==null&&e.textContent.indexOf(%q)>=0})()`, sel, want)
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		got := eval[string](t, ctx, fmt.Sprintf(`(document.querySelector(%q)||{textContent:'(absent)'}).textContent`, sel))
		t.Fatalf("%s: text %q does not contain %q: %v", sel, got, want, err)
	}
}

// shot saves a PNG of the page as <name>.png in $ISWIGO_SCREENSHOTS, when set.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ISWIGO_SCREENSHOTS")
	if dir == "" {
		return
	}
	wctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	png, err := chromedp.Run(wctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("screenshot %s is not a PNG", name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// frame returns a context acting in the cross-site iframe whose URL starts
// with prefix (Chromium runs it as a target of its own).
func frame(t *testing.T, ctx context.Context, prefix string) context.Context {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
				t.Cleanup(cancel)
				// The first run attaches, for as long as its context lives.
				if err := chromedp.Do(fctx); err != nil {
					t.Fatalf("attach to the iframe: %v", err)
				}
				return fctx
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no iframe target at %s", prefix)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// type_ sends text to the element sel as key presses.
func typeIn(t *testing.T, ctx context.Context, sel, v string) {
	t.Helper()
	do(t, ctx, "type in "+sel, chromedp.SendKeys(chromedp.CSS(sel), v))
}

// clearField empties the field sel as selecting its text and deleting it would.
func clearField(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	eval[chromedp.Void](t, ctx, fmt.Sprintf(`(function(e){e.value='';e.dispatchEvent(new Event('input',{bubbles:true}))})(document.querySelector(%q))`, sel))
}

func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	do(t, ctx, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// hostEvents are the events the host page of the embedding test listens
// to, with their DOM names as docs/widget.md gives them.
var hostEvents = [][2]string{
	{"widgetOpened", "iswigo.widget.opened"},
	{"widgetClosed", "iswigo.widget.closed"},
	{"providersDisplayed", "iswigo.providers.displayed"},
	{"providerSuggestionDisplayed", "iswigo.provider.suggestion.displayed"},
	{"providerSuggestionDone", "iswigo.provider.suggestion.done"},
	{"providerSuggestionError", "iswigo.provider.suggestion.error"},
	{"connectionSyncAsked", "iswigo.connection.sync.asked"},
	{"connectionSyncDone", "iswigo.connection.sync.done"},
	{"connectionCreationDisplayed", "iswigo.connection.creation.displayed"},
	{"connectionCreationError", "iswigo.connection.creation.error"},
	{"connectionCreationDone", "iswigo.connection.creation.done"},
	{"connectionEditionDisplayed", "iswigo.connection.edition.displayed"},
	{"connectionEditionError", "iswigo.connection.edition.error"},
	{"connectionEditionDone", "iswigo.connection.edition.done"},
	{"connectionStepDisplayed", "iswigo.connection.step.displayed"},
	{"connectionStepError", "iswigo.connection.step.error"},
	{"connectionStepDone", "iswigo.connection.step.done"},
	{"tosDisplayed", "iswigo.tos.displayed"},
	{"tosAccepted", "iswigo.tos.accepted"},
	{"tosError", "iswigo.tos.error"},
	{"emailDisplayed", "iswigo.email.displayed"},
	{"emailDone", "iswigo.email.done"},
	{"emailError", "iswigo.email.error"},
}

// hostPage is the page of the embedding application: it queues its calls
// before agent.js loads (the documented stub) and records every callback
// and DOM event in window.log.
func hostPage(agentURL, sessionURL string) string {
	events, _ := json.Marshal(hostEvents)
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><main><h1>Shop</h1><p><a href="#">A link of the shop</a></p></main>
<script>
window.log = [];
window.iswigo=window.iswigo||function(){(window.iswigo.q=window.iswigo.q||[]).push(arguments)};
var opts = {};
` + string(events) + `.forEach(function (ev) {
  var name = ev[0];
  opts['on' + name.charAt(0).toUpperCase() + name.slice(1)] = function (e) {
    log.push({via: 'callback', name: name, type: e.type, detail: e.detail});
  };
  document.addEventListener(ev[1], function (e) {
    log.push({via: 'dom', name: name, type: e.type, detail: e.detail});
  });
});
window.iswigo('init', opts);
window.iswigo('start', ` + fmt.Sprintf("%q", sessionURL) + `);
window.queuedBeforeLoad = window.iswigo.q.length;
</script>
<script async src="` + agentURL + `"></script>
</body></html>`
}

// hostEvent is an entry of the host page's log.
type hostEvent struct {
	Via    string         `json:"via"`
	Name   string         `json:"name"`
	Type   string         `json:"type"`
	Detail map[string]any `json:"detail"`
}

// consoleProblems collects the errors, warnings and exceptions of the
// page's console from now on (CSP violations among them) and returns a
// func that lists them.
func consoleProblems(ctx context.Context) func() []string {
	var mu sync.Mutex
	var problems []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				problems = append(problems, string(m.Type)+": "+m.Text+" ("+m.URL+")")
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// emulateNarrow makes the page 320 CSS pixels wide, a small phone.
func emulateNarrow(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "emulate 320px", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: 320, Height: 640, DeviceScaleFactor: 1, Mobile: true})
		return err
	}))
}

// noHorizontalScroll fails when the page is wider than its viewport.
func noHorizontalScroll(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Fatalf("%s: the page is %d pixels wider than the 320px viewport", screen, w)
	}
}

// setHeaders sends extra headers with every request of the page.
func setHeaders(t *testing.T, ctx context.Context, h map[string]any) {
	t.Helper()
	do(t, ctx, "set headers", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers(h)})
		return err
	}))
}

// block makes the page's requests to URLs matching pattern fail.
func block(t *testing.T, ctx context.Context, pattern string) {
	t.Helper()
	do(t, ctx, "block "+pattern, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{
			URLPatterns: []*network.BlockPattern{{URLPattern: pattern, Block: true}}})
		return err
	}))
}
