// SPDX-License-Identifier: Apache-2.0

package enablebanking_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Chromium (skipped without one, unless CI is set).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("Chromium is not installed at %s", chromiumPath)
		}
		t.Fatalf("CI is set and Chromium is missing: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(cancelCtx)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// until waits until the JavaScript expression is true, across page
// navigations (an evaluation that a navigation interrupts is tried again).
func until(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(wctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
			t.Fatalf("wait until %s: %v; the page shows:\n%s", expr, err, page)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func shown(sel string) string {
	return fmt.Sprintf(`(function(){var e=document.querySelector(%q);return !!e&&e.offsetParent!==null})()`, sel)
}

// TestThroughFunnel: a person connects the bank in the hosted funnel with
// a real browser: chooses the account type (a select), goes out to the
// "bank", authorizes, comes back through iswigo's callback into the same
// funnel session, and sees the result; then refuses at another bank and
// sees why it failed.
func TestThroughFunnel(t *testing.T) {
	e := newEnv(t, sqldbtest.Open(t, sqldb.SQLite))
	ctx := context.Background()
	profile, err := e.user.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.stack.DB.FindUserByID(ctx, e.app.ID, profile.UserID)
	if err != nil {
		t.Fatal(err)
	}
	u.TermsOfService, u.EmailValidation, u.EmailValidated = iswigo.DateOf(time.Now()), u.Email, true
	if err := e.stack.DB.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	fs, err := e.user.CreateFunnelSession(ctx, map[string]any{"action": "create", "type": "bank"})
	if err != nil {
		t.Fatal(err)
	}
	b := browser(t)
	run(t, b, "open the funnel", chromedp.Navigate(fs.URI))

	// Search the catalogue and pick the bank.
	until(t, b, shown("#s-providers"))
	run(t, b, "search", chromedp.SendKeys(chromedp.CSS("#search"), "exemple"))
	until(t, b, `Array.from(document.querySelectorAll('#s-providers button')).some(function(x){return x.textContent.indexOf('Banque Exemple')>=0})`)
	until(t, b, `(function(){var x=Array.from(document.querySelectorAll('#s-providers button')).find(function(x){return x.textContent.indexOf('Banque Exemple')>=0});x.click();return true})()`)

	// The account type is a select with the bank's choices.
	until(t, b, shown(`#creds-fields select[name="psu_type"]`))
	if got, _ := chromedp.Run(b, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('#creds-fields select option')).map(function(o){return o.value+':'+o.textContent}).join(',')`)); got != "personal:Personal,business:Business" {
		t.Fatalf("select options %q", got)
	}
	until(t, b, `(function(){var s=document.querySelector('#creds-fields select');s.value='business';return true})()`)
	run(t, b, "submit", chromedp.Click(chromedp.CSS("#creds-submit")))

	// Out to the bank and back.
	until(t, b, shown("#s-redirect"))
	until(t, b, `document.getElementById('redirect-link').href.indexOf(`+fmt.Sprintf("%q", e.fake.URL)+`)===0`)
	run(t, b, "go to the bank", chromedp.Click(chromedp.CSS("#redirect-link")))
	until(t, b, `!!document.getElementById('approve')`)
	run(t, b, "authorize", chromedp.Click(chromedp.CSS("#approve")))
	// Back in the funnel (whose page drops the session from its address at once).
	until(t, b, `location.href.indexOf(`+fmt.Sprintf("%q", e.stack.HTTP.URL+"/widget/?")+`)===0`)
	until(t, b, shown("#s-result"))
	until(t, b, `document.getElementById('result-h').textContent.indexOf('Your accounts are connected')>=0`)
	until(t, b, `document.getElementById('result-list').textContent.indexOf('Compte courant')>=0`)
	accounts, err := e.user.Accounts(ctx, iswigo.Range{From: 0, To: 9})
	if err != nil || len(accounts) != 2 || !accounts[0].IsProfessional {
		t.Fatalf("accounts of the business connection: %+v %v", accounts, err)
	}

	// The consent lapses: the background sync fails with errno 9, and the
	// funnel's status screen offers to renew it, through the bank again.
	e.fake.ExpireSessions()
	id := accounts[0].ConnectionID
	if queued, err := e.stack.DB.QueueBackgroundSync(ctx, id, time.Now().Add(48*time.Hour)); err != nil || !queued {
		t.Fatalf("background sync: %v %v", queued, err)
	}
	if st := e.waitStatus(t, id, "expired consent", isDone); st.Errno == nil || *st.Errno != iswigo.ErrnoAuthExpired {
		t.Fatalf("expired consent: %+v", st)
	}
	fs, err = e.user.CreateFunnelSession(ctx, map[string]any{"action": "status"})
	if err != nil {
		t.Fatal(err)
	}
	run(t, b, "open the funnel", chromedp.Navigate(fs.URI))
	until(t, b, `!!document.querySelector('#result-list [data-errno="9"]')`)
	run(t, b, "renew", chromedp.Click(chromedp.CSS(`#result-list button[data-action="edit"]`)))
	until(t, b, shown(`#creds-fields select[name="psu_type"]`))
	until(t, b, `document.querySelector('#creds-fields select').options[0].textContent==='Business'`)
	run(t, b, "submit", chromedp.Click(chromedp.CSS("#creds-submit")))
	until(t, b, shown("#s-redirect"))
	run(t, b, "go to the bank", chromedp.Click(chromedp.CSS("#redirect-link")))
	until(t, b, `!!document.getElementById('approve')`)
	run(t, b, "authorize", chromedp.Click(chromedp.CSS("#approve")))
	until(t, b, `location.href.indexOf(`+fmt.Sprintf("%q", e.stack.HTTP.URL+"/widget/?")+`)===0`)
	until(t, b, `document.getElementById('result-h').textContent.indexOf('Your accounts are connected')>=0`)
	if st, _ := e.user.ConnectionStatus(ctx, id); st.Status != iswigo.StatusFinished {
		t.Fatalf("renewed connection: %+v", st)
	}

	// Refused at the bank: the funnel says the authorization failed.
	fs, err = e.user.CreateFunnelSession(ctx, map[string]any{"action": "create", "provider": e.banks["Beispielbank"]})
	if err != nil {
		t.Fatal(err)
	}
	run(t, b, "open the funnel", chromedp.Navigate(fs.URI))
	until(t, b, shown("#s-credentials"))
	run(t, b, "submit", chromedp.Click(chromedp.CSS("#creds-submit")))
	until(t, b, shown("#s-redirect"))
	run(t, b, "go to the bank", chromedp.Click(chromedp.CSS("#redirect-link")))
	until(t, b, `!!document.getElementById('deny')`)
	run(t, b, "refuse", chromedp.Click(chromedp.CSS("#deny")))
	until(t, b, shown("#s-result"))
	until(t, b, `!!document.querySelector('#result-list [data-errno="6"]')`)
	if txt, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.getElementById('result-list').textContent`)); !strings.Contains(txt, "refused") {
		t.Fatalf("the funnel shows %q for a refusal", txt)
	}
}
