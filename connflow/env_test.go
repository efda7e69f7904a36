// SPDX-License-Identifier: Apache-2.0

package connflow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connector/statement"
	"github.com/iswigo/iswigo/connflow"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// env is a real store with two applications (one PSD2, one not) and
// their users, the sandbox and statement providers, and the service over
// them. No job engine runs: queued syncs stay "pending" until a test
// begins one itself.
type env struct {
	db        *sqldb.DB
	providers *connector.Registry
	flow      *connflow.Service
	psd2App   *iswigo.App // PSD2, with a registered redirect URI
	plainApp  *iswigo.App // not PSD2: the funnel for it
	alice     *iswigo.User
	bob       *iswigo.User // alice's neighbour in the same app
	carol     *iswigo.User // of plainApp
}

// forEachDB runs fn on SQLite, and on PostgreSQL when configured.
func forEachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		fn(t, newEnv(t, db))
	})
}

func newEnv(t *testing.T, db *sqldb.DB) *env {
	t.Helper()
	ctx := context.Background()
	db.StepPoll, db.CallbackURL = 5*time.Millisecond, "https://iswigo.example/callback"
	reg, err := connector.NewRegistry(append(sandbox.New(sandbox.Options{}), statement.New(db))...)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, providers: reg, flow: &connflow.Service{Connections: db, Providers: reg, Callbacks: db}}
	e.psd2App = &iswigo.App{Name: "psd2", Secret: "s3cret-psd2", PSD2: true, RedirectURIs: []string{"https://app.example/back"}}
	e.plainApp = &iswigo.App{Name: "plain", Secret: "s3cret-plain"}
	for _, a := range []*iswigo.App{e.psd2App, e.plainApp} {
		if err := db.CreateApp(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	user := func(app *iswigo.App, email string) *iswigo.User {
		u := &iswigo.User{AppID: app.ID, Email: email, PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.alice, e.bob, e.carol = user(e.psd2App, "alice@example.com"), user(e.psd2App, "bob@example.com"), user(e.plainApp, "carol@example.com")
	return e
}

// api is u asking through the API (the PSD2 rule applies), from a known
// address and browser.
func (e *env) api(u *iswigo.User) connflow.Actor {
	app := e.psd2App
	if u.AppID == e.plainApp.ID {
		app = e.plainApp
	}
	return connflow.Actor{App: app, User: u, Person: connflow.Person{IPAddress: "192.0.2.7", UserAgent: "test-agent/1"}}
}

// funnel is u asking through a funnel session limited by scope.
func (e *env) funnel(u *iswigo.User, scope connflow.Scope) connflow.Actor {
	a := e.api(u)
	a.Funnel, a.Scope = true, scope
	a.Person.ReturnURL = "https://iswigo.example/widget/?session=s1"
	return a
}

// scope is a funnel session's reach in tests: the providers and
// connections listed (nil lists: every one).
type scope struct {
	providers   []int
	connections []string
}

func (s scope) OffersProvider(p *iswigo.Provider) bool {
	if s.providers == nil {
		return true
	}
	for _, id := range s.providers {
		if id == p.ID {
			return true
		}
	}
	return false
}

func (s scope) ReachesConnection(ctx context.Context, c *iswigo.Connection) (bool, error) {
	if s.connections == nil {
		return true, nil
	}
	for _, id := range s.connections {
		if strings.EqualFold(id, c.ID) {
			return true, nil
		}
	}
	return false, nil
}

func ptr[T any](v T) *T { return &v }

// create makes a sandbox bank connection of u through the API.
func (e *env) create(t *testing.T, u *iswigo.User) *iswigo.Connection {
	t.Helper()
	c, err := e.flow.Create(context.Background(), e.api(u), connflow.CreateRequest{ProviderID: ptr(sandbox.ProviderIDBank),
		Values: map[string]string{"login": "hector", "password": "123456"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// stored returns connection id of u as the store has it.
func (e *env) stored(t *testing.T, u *iswigo.User, id string) *iswigo.Connection {
	t.Helper()
	c, err := e.db.FindConnectionByID(context.Background(), u.AppID, u.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// credentials returns the stored credentials of u's connection id.
func (e *env) credentials(t *testing.T, u *iswigo.User, id string) map[string]string {
	t.Helper()
	creds, err := e.db.FindConnectionCredentials(context.Background(), u.AppID, u.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return creds
}

// count returns how many connections u has.
func (e *env) count(t *testing.T, u *iswigo.User) int {
	t.Helper()
	_, total, err := e.db.FindConnections(context.Background(), iswigo.ConnectionFilter{AppID: u.AppID, UserID: u.ID, Range: iswigo.DefaultRange})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// begin starts the queued sync of c as the engine would (a person present).
func (e *env) begin(t *testing.T, c *iswigo.Connection) *sqldb.Sync {
	t.Helper()
	p, err := e.providers.FindProviderByID(context.Background(), c.ProviderID)
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.db.BeginSync(context.Background(), c.ID, *p, true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitStep waits until u's connection id waits for step (a sync running
// in another goroutine asked it).
func (e *env) waitStep(t *testing.T, u *iswigo.User, id, step string) *iswigo.Connection {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := e.stored(t, u, id)
		if c.Status == iswigo.StatusWaitingUser && c.Step == step {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("connection %s never waited for %q: %+v", id, step, c)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// wantError fails unless err has code and, when msg is not "", that message.
func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	if iswigo.ErrorCode(err) != code || (msg != "" && iswigo.ErrorMessage(err) != msg) {
		t.Fatalf("error %v (%s %q); want %s %q", err, iswigo.ErrorCode(err), iswigo.ErrorMessage(err), code, msg)
	}
}
