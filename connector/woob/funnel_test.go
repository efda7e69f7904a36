// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestFunnelConnectsFakeBankWithSMS runs the whole server with the woob
// catalogue (real woob, the fake modules) and connects Fake Bank through
// the funnel in Chromium as a person would: the provider among the
// others, its credential form from the module's CONFIG, the SMS step of
// its SentOTPQuestion, the accounts found.
// Run on SQLite, and on PostgreSQL too when ISWIGO_TEST_DATABASE_URL is set.
func TestFunnelConnectsFakeBankWithSMS(t *testing.T) {
	opts := fakeWoob(t)
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) { funnelConnect(t, opts, db) })
}

func funnelConnect(t *testing.T, opts Options, db *sqldb.DB) {
	ctx := context.Background()
	mailer, err := mail.Open("", "", t.TempDir(), slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	stack := servertest.Start(t, db, servertest.Options{Mailer: mailer})
	cat, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Registry.AddCatalog(ctx, cat, stack.DB); err != nil {
		t.Fatal(err)
	}
	providers, _, err := stack.Registry.FindProviders(ctx, iswigo.ProviderFilter{Range: iswigo.Range{To: 999}})
	if err != nil {
		t.Fatal(err)
	}
	id := 0
	for _, p := range providers {
		if p.Name == "Fake Bank" {
			id = p.ID
		}
	}
	if id < iswigo.CatalogFirstProviderID {
		t.Fatalf("Fake Bank is not among the providers (id %d)", id)
	}

	app := &iswigo.App{Name: "woob-app", Secret: "secret-of-woob-app-0123456789abcdef", LastTermsOfService: iswigo.NewDate(2019, 10, 1)}
	if err := stack.DB.CreateApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	client := api.NewClient(stack.HTTP.URL, app.Name, app.Secret)
	created, err := client.CreateUser(ctx, "hector@example.com", "Str0ng!Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := client.Authenticate(ctx, "hector@example.com", "Str0ng!Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	user, err := stack.DB.FindUserByID(ctx, app.ID, created.UserID)
	if err != nil {
		t.Fatal(err)
	}
	user.TermsOfService = iswigo.DateOf(time.Now())
	user.EmailValidation, user.EmailValidated = "hector@example.com", true
	if err := stack.DB.UpdateUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	userClient := client.WithToken(tok.AccessToken)
	session, err := userClient.CreateFunnelSession(ctx, map[string]any{"action": "create bank"})
	if err != nil {
		t.Fatal(err)
	}

	b := chromium(t, 90*time.Second)
	run(t, b, "open the funnel", chromedp.Navigate(session.URI))
	button := `#providers button[data-provider="` + strconv.Itoa(id) + `"]`
	run(t, b, "search Fake Bank", chromedp.WaitVisible(chromedp.CSS("#search")), chromedp.SendKeys(chromedp.CSS("#search"), "Fake Bank"))
	run(t, b, "choose Fake Bank", chromedp.WaitVisible(chromedp.CSS(button)), chromedp.Click(chromedp.CSS(button)))
	run(t, b, "fill the module's form",
		chromedp.WaitVisible(chromedp.CSS(`#creds-fields input[name="login"]`)),
		chromedp.SendKeys(chromedp.CSS(`#creds-fields input[name="login"]`), "sms1"),
		chromedp.SendKeys(chromedp.CSS(`#creds-fields input[name="password"]`), "secret99"),
		chromedp.Click(chromedp.CSS("#creds-submit")))
	run(t, b, "the SMS step", chromedp.WaitVisible(chromedp.CSS("#s-step #step-fields input")))
	label := textOf(t, b, "#step-fields")
	if !strings.Contains(label, "Code reçu par SMS") {
		t.Errorf("step form %q: want the module's label of its code value", label)
	}
	if msg := textOf(t, b, "#step-message"); msg != "Saisissez le code reçu par SMS au 06 ** ** ** 42" {
		t.Errorf("step message %q: want the module's question", msg)
	}
	run(t, b, "answer the SMS step",
		chromedp.SendKeys(chromedp.CSS("#step-fields input"), "123456"),
		chromedp.Click(chromedp.CSS("#step-submit")))
	run(t, b, "the accounts", chromedp.WaitVisible(chromedp.CSS("#result-list li ul li")))
	result := textOf(t, b, "#s-result")
	for _, want := range []string{"Your accounts are connected", "Compte courant", "Carte Visa Premier"} {
		if !strings.Contains(result, want) {
			t.Errorf("result screen %q lacks %q", result, want)
		}
	}
	conns, err := userClient.Connections(ctx, "", iswigo.Range{To: 9})
	if err != nil || len(conns) != 1 || conns[0].ProviderID != id {
		t.Fatalf("connections %+v, %v", conns, err)
	}
	accounts, err := userClient.Accounts(ctx, iswigo.Range{To: 99})
	if err != nil || len(accounts) != 6 {
		t.Errorf("%d accounts, %v; want Fake Bank's 6", len(accounts), err)
	}
	funnelActionNeeded(t, b, userClient, client, id, conns[0].ConnectionID)
}

// funnelActionNeeded connects Fake Bank again with a login whose bank asks
// an action on its website (woob's ActionNeeded with a message and a URL,
// through the real bridge): the funnel's result screen shows the bank's
// words and a link to its page (a new tab, said to screen readers), and the
// status over HTTP and the connection.status event carry the same.
func funnelActionNeeded(t *testing.T, b context.Context, userClient, appClient *api.Client, providerID int, firstID string) {
	ctx := context.Background()
	const bankMessage, bankURL = "Veuillez accepter les nouvelles conditions générales", "https://fakebank.invalid/cgu"
	session, err := userClient.CreateFunnelSession(ctx, map[string]any{"action": "create bank"})
	if err != nil {
		t.Fatal(err)
	}
	button := `#providers button[data-provider="` + strconv.Itoa(providerID) + `"]`
	run(t, b, "open a second funnel", chromedp.Navigate(session.URI))
	run(t, b, "search Fake Bank again", chromedp.WaitVisible(chromedp.CSS("#search")), chromedp.SendKeys(chromedp.CSS("#search"), "Fake Bank"))
	run(t, b, "choose Fake Bank again", chromedp.WaitVisible(chromedp.CSS(button)), chromedp.Click(chromedp.CSS(button)))
	run(t, b, "log in where the bank asks an action",
		chromedp.WaitVisible(chromedp.CSS(`#creds-fields input[name="login"]`)),
		chromedp.SendKeys(chromedp.CSS(`#creds-fields input[name="login"]`), "action1"),
		chromedp.SendKeys(chromedp.CSS(`#creds-fields input[name="password"]`), "secret99"),
		chromedp.Click(chromedp.CSS("#creds-submit")))
	run(t, b, "the bank's message", chromedp.WaitVisible(chromedp.CSS("#result-list [data-bank-message]")))
	got, err := chromedp.Run(b, chromedp.Evaluate[string](`(function () {
		var m = document.querySelector('#result-list [data-bank-message]'), a = document.querySelector('#result-list a[data-action="bank"]');
		return [document.querySelector('#result-list [data-errno]').getAttribute('data-errno'), m.textContent,
			a ? a.href : '', a ? a.target : '', a ? a.rel : '', a ? a.textContent : ''].join('|');
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{"3", "Your bank says: " + bankMessage, bankURL, "_blank", "noopener noreferrer",
		"Go to your bank's website (opens in a new tab)"}, "|")
	if got != want {
		t.Errorf("result screen:\n got %s\nwant %s", got, want)
	}

	conns, err := userClient.Connections(ctx, "", iswigo.Range{To: 9})
	if err != nil || len(conns) != 2 {
		t.Fatalf("connections %+v, %v", conns, err)
	}
	id := conns[0].ConnectionID
	if id == firstID {
		id = conns[1].ConnectionID
	}
	st, err := userClient.ConnectionStatus(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != iswigo.StatusError || st.Errno == nil || *st.Errno != iswigo.ErrnoActionNeeded || st.Message != bankMessage || st.ActionURL != bankURL {
		t.Errorf("status over HTTP: %+v", st)
	}
	events, err := appClient.Events(ctx, iswigo.Range{To: 99})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		var d iswigo.StatusEventData
		if e.Type != iswigo.EventConnectionStatus || json.Unmarshal(e.Data, &d) != nil || d.ConnectionID != id || d.Status != iswigo.StatusError {
			continue
		}
		found = true
		if d.Errno == nil || *d.Errno != iswigo.ErrnoActionNeeded || d.Message != bankMessage || d.ActionURL != bankURL {
			t.Errorf("connection.status event: %s", e.Data)
		}
	}
	if !found {
		t.Error("no connection.status event in error for the connection")
	}
}

// chromium starts a headless Chromium for t; skipped without it unless CI
// is set.
func chromium(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	const path = "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("Chromium is not installed at %s", path)
		}
		t.Fatalf("CI is set and Chromium is missing: %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1024, 800))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(cancelCtx)
	ctx, cancel := context.WithTimeout(ctx, limit)
	t.Cleanup(cancel)
	// The first run starts the browser, which lives as long as its context.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// run runs actions, each wait bounded by 20 seconds, failing t with what.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}
