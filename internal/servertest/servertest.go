// SPDX-License-Identifier: Apache-2.0

// Package servertest assembles, for tests, the whole server as cmd/iswigo
// does: a real store, token service, job engine over the sandbox
// connectors, file store, metrics, the API and the funnel, served on
// 127.0.0.1:0. Tests then add their applications and clients.
package servertest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/blobstore"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/connector/statement"
	"github.com/iswigo/iswigo/internal/jsonlog"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/metrics"
	"github.com/iswigo/iswigo/profile"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/widget"
)

// Options change the stack. Zero values take test defaults.
type Options struct {
	// Mailer sends the server's mail. Required.
	Mailer iswigo.Mailer
	// Connectors default to sandbox.New(sandbox.Options{}).
	Connectors []iswigo.Connector
	// Job changes the engine's configuration after the test defaults
	// (fast polling, 50 ms retries, private webhooks allowed, metrics).
	Job func(*job.Config)
	// Now is the clock of the funnel and of its profile rules.
	Now func() time.Time
	// WidgetPollInterval is how often the funnel's progress stream reads
	// the connections. Defaults to 40 milliseconds.
	WidgetPollInterval time.Duration
	// API changes the server before its handler is built.
	API func(*api.Server)
	// Statements adds the statement import connector (provider 900) to
	// the connectors. The statement service is always served.
	Statements bool
}

// Stack is a running server and its parts.
type Stack struct {
	DB       *sqldb.DB
	Tokens   *auth.TokenService
	Registry *connector.Registry
	Engine   *job.Engine
	Files    *blobstore.Store
	Metrics  *metrics.Metrics
	Logs     *SyncBuffer // every log line, JSON
	Logger   *slog.Logger
	API      *api.Server
	Widget   *widget.Handler
	HTTP     *httptest.Server
}

// Start assembles and starts the stack over db; everything stops when t ends.
func Start(t testing.TB, db *sqldb.DB, o Options) *Stack {
	t.Helper()
	ctx := context.Background()
	s := &Stack{DB: db, Logs: &SyncBuffer{}}
	s.Logger = slog.New(jsonlog.NewHandler(s.Logs, &slog.HandlerOptions{Level: slog.LevelDebug})) // as in production
	s.Tokens = auth.NewTokenService(db, auth.TokenOptions{Logger: s.Logger})
	if err := s.Tokens.EnsureKey(ctx); err != nil {
		t.Fatal(err)
	}
	if o.Connectors == nil {
		o.Connectors = sandbox.New(sandbox.Options{})
	}
	if o.Statements {
		o.Connectors = append(append([]iswigo.Connector(nil), o.Connectors...), statement.New(db))
	}
	var err error
	if s.Registry, err = connector.NewRegistry(o.Connectors...); err != nil {
		t.Fatal(err)
	}
	if s.Files, err = blobstore.Open(ctx, "file://"+t.TempDir()); err != nil {
		t.Fatal(err)
	}
	db.Files, db.StepPoll = s.Files, 20*time.Millisecond
	db.UnattendedLimit = s.Registry.UnattendedDailyLimit
	if err := job.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	s.Metrics = metrics.New()
	s.Metrics.RegisterDB("write", db.WriteDB())
	cfg := job.Config{Work: true, Workers: 8, SyncRetries: 2, RetryBase: 50 * time.Millisecond,
		FetchCooldown: 5 * time.Millisecond, FetchPollInterval: 20 * time.Millisecond, ScanInterval: time.Hour,
		AllowPrivateWebhooks: true, WebhookRetryBase: 50 * time.Millisecond, Metrics: s.Metrics, Logger: s.Logger}
	if o.Job != nil {
		o.Job(&cfg)
	}
	if s.Engine, err = job.New(db, s.Registry, cfg); err != nil {
		t.Fatal(err)
	}
	s.Metrics.RegisterJobs(s.Engine.CountJobs, s.Logger)
	if err := s.Engine.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A sync may still wait for a step nobody answers: cancel it soon.
		stopCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s.Engine.Stop(stopCtx)
	})
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.WidgetPollInterval == 0 {
		o.WidgetPollInterval = 40 * time.Millisecond
	}
	statements := &statement.Service{Connections: db, Bank: db, Store: db}
	s.Widget = &widget.Handler{Statements: statements, Usage: db, Sessions: db, Apps: db, Users: db, Providers: s.Registry, Connections: db, Bank: db, Documents: db,
		Profile: &profile.Service{Users: db, Mailer: o.Mailer, Limiter: db, Now: o.Now}, Logger: s.Logger, Now: o.Now,
		PollInterval: o.WidgetPollInterval}
	params := auth.TestPasswordParams
	s.API = &api.Server{Apps: db, Users: db, Limiter: db, Tokens: s.Tokens, Mailer: o.Mailer,
		Providers: s.Registry, Connections: db, Bank: db, Events: db, Funnel: db, Documents: db, SimpleFIN: db, Statements: statements, Callbacks: db,
		ReadyChecks: map[string]func(context.Context) error{"database": db.Ready, "jobs": s.Engine.Ready},
		Metrics:     s.Metrics, MetricsHandler: s.Metrics.Handler(), Widget: s.Widget,
		Logger: s.Logger, PasswordParams: &params}
	if o.API != nil {
		o.API(s.API)
	}
	s.HTTP = httptest.NewUnstartedServer(s.API.Handler())
	s.HTTP.Config.RegisterOnShutdown(s.Widget.Shutdown)
	s.HTTP.Start()
	t.Cleanup(s.HTTP.Close)
	if s.API.PublicURL == "" {
		s.API.PublicURL = s.HTTP.URL
	}
	s.Widget.SimpleFIN, s.Widget.SimpleFINPublicURL = db, s.API.PublicURL
	db.CallbackURL = s.API.PublicURL + "/callback"
	s.Widget.PublicURL = s.API.PublicURL + "/widget/"
	return s
}

// SyncBuffer collects log lines written from several goroutines.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
