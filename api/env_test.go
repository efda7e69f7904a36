// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/blobstore"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/mail/mailtest"
	"github.com/iswigo/iswigo/metrics"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// testEnv is a real server on 127.0.0.1:0 over a real database, with two
// applications: psd2 (PSD2-compliant) and plain (not), and a test SMTP server.
type testEnv struct {
	db       *sqldb.DB
	server   *api.Server
	http     *httptest.Server
	tokens   *auth.TokenService
	smtp     *mailtest.Server
	registry *connector.Registry
	metrics  *metrics.Metrics
	files    *blobstore.Store
	engine   *job.Engine
	logs     *servertest.SyncBuffer
	psd2App  *iswigo.App
	plainApp *iswigo.App
	psd2     *api.Client
	plain    *api.Client
}

// forEachDB runs fn on a fresh environment per database dialect.
func forEachDB(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) { fn(t, newEnv(t, db)) })
}

func newEnv(t testing.TB, db *sqldb.DB) *testEnv {
	t.Helper()
	e := &testEnv{db: db, smtp: mailtest.NewServer(t)}
	mailer, err := mail.Open(e.smtp.URL(), "iswigo@example.com", "", slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	stack := servertest.Start(t, db, servertest.Options{Mailer: mailer, Statements: true,
		Connectors: append(sandbox.New(sandbox.Options{}), bigDocConnector{}, fixtureBank{}, longHistoryConnector{})})
	e.logs, e.tokens, e.registry, e.files, e.metrics, e.engine = stack.Logs, stack.Tokens, stack.Registry, stack.Files, stack.Metrics, stack.Engine
	e.server, e.http = stack.API, stack.HTTP
	e.psd2App = e.createApp(t, "psd2-app", true)
	e.plainApp = e.createApp(t, "plain-app", false)
	e.psd2 = e.client(t, e.psd2App)
	e.plain = e.client(t, e.plainApp)
	return e
}

// variant returns e with another server, configured like e's and then
// changed by change, on the same database.
func (e *testEnv) variant(t testing.TB, change func(s *api.Server)) *testEnv {
	t.Helper()
	s := &api.Server{Apps: e.server.Apps, Users: e.server.Users, Limiter: e.server.Limiter, Tokens: e.server.Tokens,
		Mailer: e.server.Mailer, ReadyChecks: e.server.ReadyChecks, Logger: e.server.Logger, PasswordParams: e.server.PasswordParams,
		Providers: e.server.Providers, Connections: e.server.Connections, Bank: e.server.Bank, Events: e.server.Events,
		Funnel: e.server.Funnel, Documents: e.server.Documents, SimpleFIN: e.server.SimpleFIN}
	change(s)
	e2 := *e
	e2.server = s
	e2.http = httptest.NewServer(s.Handler())
	t.Cleanup(e2.http.Close)
	s.PublicURL = e2.http.URL
	return &e2
}

func (e *testEnv) createApp(t testing.TB, name string, psd2 bool) *iswigo.App {
	t.Helper()
	app := &iswigo.App{Name: name, Secret: "secret-of-" + name + "-0123456789abcdef", PSD2: psd2, LastTermsOfService: iswigo.NewDate(2019, 10, 1)}
	if err := e.db.CreateApp(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	return app
}

// client returns a client of app whose responses are checked against the
// OpenAPI document.
func (e *testEnv) client(t testing.TB, app *iswigo.App) *api.Client {
	c := api.NewClient(e.http.URL, app.Name, app.Secret)
	c.HTTPClient = &http.Client{Transport: checkedTransport(t), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return c
}

// user creates a user in c's application and returns a client acting as it.
func (e *testEnv) user(t testing.TB, c *api.Client, email string) (*api.User, *api.Client) {
	t.Helper()
	ctx := context.Background()
	u, err := c.CreateUser(ctx, email, "Str0ng!Passw0rd")
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", email, err)
	}
	tok, err := c.Authenticate(ctx, email, "Str0ng!Passw0rd")
	if err != nil {
		t.Fatalf("Authenticate(%s): %v", email, err)
	}
	return u, c.WithToken(tok.AccessToken)
}

// raw sends a request with explicit headers (no signing) and returns the
// status, headers and body.
func (e *testEnv) raw(t *testing.T, method, target string, headers map[string]string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, e.http.URL+target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := (&http.Client{Transport: checkedTransport(t)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

// signed returns the headers of a request signed for app.
func signed(app *iswigo.App, method, target string, body []byte) map[string]string {
	h := map[string]string{"X-Iswigo-App": app.Name, "X-Iswigo-Signature": auth.Signature(app.Secret, method, target, body)}
	if len(body) > 0 {
		h["Content-Type"] = "application/json"
	}
	return h
}

// wantError checks that err is an *iswigo.Error with code and, when msg is
// not empty, a message containing msg.
func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	if iswigo.ErrorCode(err) != code || !strings.Contains(iswigo.ErrorMessage(err), msg) {
		t.Fatalf("error = %v; want code %s with message containing %q", err, code, msg)
	}
}

// wantEnvelope checks an error response: status and the envelope.
func wantEnvelope(t *testing.T, status int, body []byte, wantStatus int, msg string) {
	t.Helper()
	var env api.ErrorBody
	if status != wantStatus {
		t.Fatalf("status = %d (%s); want %d", status, body, wantStatus)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil || env.Error.Code != wantStatus || !strings.Contains(env.Error.Description, msg) {
		t.Fatalf("body = %s; want the error envelope with code %d and %q", body, wantStatus, msg)
	}
}

func ptr[T any](v T) *T { return &v }
