// SPDX-License-Identifier: Apache-2.0

package widget_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
	"github.com/iswigo/iswigo/widget"
)

// testEnv is the real server on 127.0.0.1:0 (the API with the widget
// mounted at /widget/, as cmd/iswigo serves them) over a real SQLite
// database, with real synchronizations of the sandbox banks, a mail outbox,
// and one non-PSD2 application.
type testEnv struct {
	db     *sqldb.DB
	api    *api.Server
	widget *widget.Handler
	http   *httptest.Server
	outbox *mail.Outbox
	logs   *servertest.SyncBuffer
	app    *iswigo.App
	client *api.Client // signed for app
	// skew is added to the widget's clock (to expire sessions).
	skew atomic.Int64
}

// newEnv starts an environment; origins are the app's allowed embedding
// origins.
func newEnv(t testing.TB, origins ...string) *testEnv {
	t.Helper()
	return newEnvWith(t, nil, origins...)
}

// newEnvWith is newEnv with the stack's options changed by change.
func newEnvWith(t testing.TB, change func(*servertest.Options), origins ...string) *testEnv {
	t.Helper()
	ctx := context.Background()
	e := &testEnv{}
	mailer, err := mail.Open("", "", t.TempDir(), slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	e.outbox = mailer.(*mail.Outbox)
	now := func() time.Time { return time.Now().Add(time.Duration(e.skew.Load())) }
	opts := servertest.Options{
		Mailer:     mailer,
		Connectors: sandbox.New(sandbox.Options{StepDelay: 100 * time.Millisecond}),
		Job:        func(c *job.Config) { c.Workers, c.SyncRetries = 4, 1 },
		Now:        now,
		API:        func(s *api.Server) { s.AppCacheTTL = time.Millisecond },
	}
	if change != nil {
		change(&opts)
	}
	stack := servertest.Start(t, sqldbtest.Open(t, sqldb.SQLite), opts)
	e.db, e.api, e.widget, e.http, e.logs = stack.DB, stack.API, stack.Widget, stack.HTTP, stack.Logs
	e.app = &iswigo.App{Name: "plain-app", Secret: "secret-of-plain-app-0123456789abcdef", PSD2: false,
		LastTermsOfService: iswigo.NewDate(2019, 10, 1), Origins: origins}
	if err := e.db.CreateApp(ctx, e.app); err != nil {
		t.Fatal(err)
	}
	e.client = api.NewClient(e.http.URL, e.app.Name, e.app.Secret)
	return e
}

// user creates a user of the app and returns it with a client acting as it.
func (e *testEnv) user(t testing.TB, email string) (*iswigo.User, *api.Client) {
	t.Helper()
	ctx := context.Background()
	u, err := e.client.CreateUser(ctx, email, "Str0ng!Passw0rd")
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	tok, err := e.client.Authenticate(ctx, email, "Str0ng!Passw0rd")
	if err != nil {
		t.Fatalf("Authenticate(%s): %v", email, err)
	}
	user, err := e.db.FindUserByID(ctx, e.app.ID, u.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return user, e.client.WithToken(tok.AccessToken)
}

// readyUser creates a user who accepted the terms and validated an
// e-mail address already, so that the flow starts at the providers.
func (e *testEnv) readyUser(t testing.TB, email string) (*iswigo.User, *api.Client) {
	t.Helper()
	u, c := e.user(t, email)
	u.TermsOfService = iswigo.DateOf(time.Now())
	u.EmailValidation, u.EmailValidated = email, true
	if err := e.db.UpdateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u, c
}

// session opens a funnel session through the API and returns its id and URI.
func (e *testEnv) session(t testing.TB, c *api.Client, body map[string]any) (string, string) {
	t.Helper()
	s, err := c.CreateFunnelSession(context.Background(), body)
	if err != nil {
		t.Fatalf("CreateFunnelSession(%v): %v", body, err)
	}
	if !strings.HasPrefix(s.URI, e.http.URL+"/widget/?session=") {
		t.Fatalf("uri = %q", s.URI)
	}
	return s.SessionID, s.URI
}

var codePattern = regexp.MustCompile(`\b([0-9]{6})\b`)

// lastCode returns the validation code of the last message sent to email,
// waiting for it at most 5 seconds.
func (e *testEnv) lastCode(t *testing.T, email string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		msgs, err := e.outbox.Messages()
		if err != nil {
			t.Fatal(err)
		}
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].To == email {
				if m := codePattern.FindStringSubmatch(msgs[i].Body); m != nil {
					return m[1]
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no validation code for %s in the outbox (%d messages)", email, len(msgs))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// call posts body to a flow endpoint with the session header and returns
// the status, headers and decoded body.
func (e *testEnv) call(t *testing.T, session, path string, body any) (int, http.Header, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.http.URL+"/widget/api/"+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if session != "" {
		req.Header.Set(widget.SessionHeader, session)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(data) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s: %v in %s", path, err, data)
		}
	}
	return resp.StatusCode, resp.Header, out
}

// mustCall is call that wants status.
func (e *testEnv) mustCall(t *testing.T, session, path string, body any, status int) map[string]any {
	t.Helper()
	got, _, out := e.call(t, session, path, body)
	if got != status {
		t.Fatalf("POST %s = %d %v; want %d", path, got, out, status)
	}
	return out
}

// requests counts the requests to path the server logged.
func (e *testEnv) requests(path string) int {
	return strings.Count(e.logs.String(), `"path":"`+path+`"`)
}

// get fetches a URL and returns the status, headers and body.
func get(t *testing.T, url string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}
