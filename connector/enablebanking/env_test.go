// SPDX-License-Identifier: Apache-2.0

package enablebanking_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/connector/enablebanking"
	"github.com/iswigo/iswigo/connector/enablebanking/ebfake"
	"github.com/iswigo/iswigo/internal/openapicheck"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/sqldb"
)

const appID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

// env is a whole iswigo server whose Enable Banking catalogue talks to the
// fake, with a PSD2 app and a user.
type env struct {
	stack *servertest.Stack
	fake  *ebfake.Server
	app   *iswigo.App
	user  *api.Client // the user, through the app; responses checked against openapi.yaml
	plain *http.Client
	banks map[string]int // provider ids by bank name
}

var testKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

func newEnv(t *testing.T, db *sqldb.DB) *env {
	t.Helper()
	ctx := context.Background()
	mailer, err := mail.Open("", "iswigo@example.com", t.TempDir(), slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{stack: servertest.Start(t, db, servertest.Options{Mailer: mailer}), banks: map[string]int{},
		plain: &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	db.DecoupledTimeout = 20 * time.Second
	e.fake = ebfake.New(t, appID, &testKey.PublicKey)
	cat, err := enablebanking.New(enablebanking.Config{AppID: appID, Key: testKey, URL: e.fake.URL, Countries: []string{"fr", "DE"},
		CallbackURL: db.CallbackURL, DecoupledPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.stack.Registry.AddCatalog(ctx, cat, db); err != nil {
		t.Fatal(err)
	}
	e.app = &iswigo.App{Name: "budget", Secret: "secret-of-budget-0123456789abcdef", PSD2: true, LastTermsOfService: iswigo.NewDate(2020, 1, 1),
		RedirectURIs: []string{"https://budget.example/back"}}
	if err := db.CreateApp(ctx, e.app); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checked, err := openapicheck.Load(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := api.NewClient(e.stack.HTTP.URL, e.app.Name, e.app.Secret)
	c.HTTPClient = &http.Client{Transport: checked.Transport(t, nil), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if _, err := c.CreateUser(ctx, "jean@example.com", "Str0ng!Passw0rd"); err != nil {
		t.Fatal(err)
	}
	tok, err := c.Authenticate(ctx, "jean@example.com", "Str0ng!Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	e.user = c.WithToken(tok.AccessToken)
	for from := 0; ; from += 100 {
		ps, err := e.user.Providers(ctx, "bank", iswigo.Range{From: from, To: from + 99})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			e.banks[p.Name] = p.ProviderID
		}
		if len(ps) < 100 {
			break
		}
	}
	return e
}

// waitStatus polls the connection's status until ok accepts it.
func (e *env) waitStatus(t *testing.T, id string, what string, ok func(api.Status) bool) api.Status {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := e.user.ConnectionStatus(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			b, _ := json.Marshal(st)
			t.Fatalf("connection %s: no %s in time; last status %s", id, what, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func isStep(step string) func(api.Status) bool {
	return func(st api.Status) bool {
		return st.Status == iswigo.StatusWaitingUser && st.Step != nil && *st.Step == step
	}
}

func isDone(st api.Status) bool {
	return st.Status == iswigo.StatusFinished || st.Status == iswigo.StatusError
}

// authorizeAtBank plays the person at the bank: opens the authorization
// page, answers it (approve or refuse), and returns the callback URL the
// bank sends the browser to.
func (e *env) authorizeAtBank(t *testing.T, redirectURL string, approve bool) string {
	t.Helper()
	if !strings.HasPrefix(redirectURL, e.fake.URL+"/bank/authorize?id=") {
		t.Fatalf("redirect_url %q is not the bank's page", redirectURL)
	}
	resp, err := e.plain.Get(redirectURL)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("bank page: %v %v", resp, err)
	}
	resp.Body.Close()
	u, _ := url.Parse(redirectURL)
	action := "/bank/deny?"
	if approve {
		action = "/bank/approve?"
	}
	resp, err = e.plain.Get(e.fake.URL + action + u.RawQuery)
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("bank answer: %v %v", resp, err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, e.stack.HTTP.URL+"/callback?") {
		t.Fatalf("the bank sends the browser to %q, not iswigo's callback", loc)
	}
	return loc
}

// callback calls iswigo's callback as the browser does.
func (e *env) callback(t *testing.T, target string) (int, string) {
	t.Helper()
	path := strings.TrimPrefix(target, e.stack.HTTP.URL)
	resp, _, err := e.user.Do(context.Background(), "GET", path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Location")
}

// transactions returns the wordings of an account's transactions.
func (e *env) transactions(t *testing.T, accountID string) []api.Transaction {
	t.Helper()
	txs, err := e.user.Transactions(context.Background(), accountID, iswigo.Range{From: 0, To: 99}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return txs
}
