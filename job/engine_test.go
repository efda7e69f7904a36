// SPDX-License-Identifier: Apache-2.0

package job_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// setup returns a store with a started engine and one user.
func setup(t *testing.T, db *sqldb.DB, cfg job.Config) (*job.Engine, *iswigo.User) {
	t.Helper()
	return setupSandbox(t, db, cfg, sandbox.Options{})
}

// setupSandbox is setup with the sandbox's options.
func setupSandbox(t *testing.T, db *sqldb.DB, cfg job.Config, opts sandbox.Options) (*job.Engine, *iswigo.User) {
	t.Helper()
	cfg.Work = true
	cfg.FetchCooldown, cfg.FetchPollInterval = 5*time.Millisecond, 20*time.Millisecond
	e := newEngine(t, db, cfg, opts)
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.Stop(ctx)
	})
	return e, newUser(t, db)
}

// newEngine migrates River's tables and returns an engine (not started)
// over the sandbox's providers, logging nowhere.
func newEngine(t *testing.T, db *sqldb.DB, cfg job.Config, opts sandbox.Options) *job.Engine {
	t.Helper()
	if err := job.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	registry, err := connector.NewRegistry(sandbox.New(opts)...)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := job.New(db, registry, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newUser creates a PSD2 application and a user of it.
func newUser(t *testing.T, db *sqldb.DB) *iswigo.User {
	t.Helper()
	ctx := context.Background()
	app := &iswigo.App{Name: "app", Secret: "secret", PSD2: true}
	if err := db.CreateApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	u := &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// waitFor polls the connection until cond holds (deadline 30 s).
func waitFor(t *testing.T, db *sqldb.DB, u *iswigo.User, id string, cond func(*iswigo.Connection) bool) *iswigo.Connection {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := db.FindConnectionByID(context.Background(), u.AppID, u.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if cond(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("connection %s stays %s (errno %d)", id, c.Status, c.Errno)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestAutomaticSync(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		db.SyncInterval = time.Second
		_, u := setup(t, db, job.Config{ScanInterval: 200 * time.Millisecond})
		ctx := context.Background()
		auto := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, AutomaticSync: true,
			Credentials: map[string]string{"login": "auto-hector", "password": "123456"}}
		manual := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, AutomaticSync: false,
			Credentials: map[string]string{"login": "manual-hector", "password": "123456"}}
		for _, c := range []*iswigo.Connection{auto, manual} {
			if err := db.CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		first := waitFor(t, db, u, auto.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusFinished })
		firstManual := waitFor(t, db, u, manual.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusFinished })
		// Background syncs follow, about one interval later.
		waitFor(t, db, u, auto.ID, func(c *iswigo.Connection) bool {
			return c.Status == iswigo.StatusFinished && c.LastSynchronizedAt.After(first.LastSynchronizedAt)
		})
		if c, _ := db.FindConnectionByID(ctx, u.AppID, u.ID, manual.ID); !c.LastSynchronizedAt.Equal(firstManual.LastSynchronizedAt) {
			t.Fatal("a connection without automatic synchronization was synced in the background")
		}
	})
}

func TestBackgroundSyncNeedsAPerson(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		db.StepTimeout = 200 * time.Millisecond
		_, u := setup(t, db, job.Config{ScanInterval: time.Hour})
		ctx := context.Background()
		c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, AutomaticSync: true,
			Credentials: map[string]string{"login": "sms-hector", "password": "123456"}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got := waitFor(t, db, u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusError }); got.Errno != iswigo.ErrnoStepTimeout {
			t.Fatalf("unanswered step: errno %d", got.Errno)
		}
		if ok, err := db.QueueBackgroundSync(ctx, c.ID, time.Now().Add(72*time.Hour)); !ok || err != nil {
			t.Fatalf("queue: %v %v", ok, err)
		}
		got := waitFor(t, db, u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusError && c.NbErrors == 2 })
		if got.Errno != iswigo.ErrnoSCARequired {
			t.Fatalf("background sync: errno %d", got.Errno)
		}
	})
}

// TestLostJobRepaired: a connection left "pending" without a job (as after
// a crash that lost it) is re-queued by the scan.
func TestLostJobRepaired(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		e, u := setup(t, db, job.Config{ScanInterval: 200 * time.Millisecond, JobTimeout: 500 * time.Millisecond, RescueAfter: time.Second})
		ctx := context.Background()
		db.Hooks = nil // the job is lost
		c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, Credentials: map[string]string{"login": "lost-hector", "password": "123456"}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		db.Hooks = e
		start := time.Now()
		waitFor(t, db, u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusFinished })
		t.Logf("repaired after %v", time.Since(start))
	})
}

func TestRetriedThenReported(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		_, u := setup(t, db, job.Config{ScanInterval: time.Hour, SyncRetries: 2, RetryBase: 20 * time.Millisecond})
		ctx := context.Background()
		c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, Credentials: map[string]string{"login": "down-hector", "password": "123456"}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		got := waitFor(t, db, u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusError })
		if got.Errno != iswigo.ErrnoUnavailable || got.NbErrors != 1 {
			t.Fatalf("errno %d, nb_errors %d", got.Errno, got.NbErrors)
		}
		// Between the attempts the connection was pending: 3 attempts, so
		// 3 "in progress" (progress 0) events and 2 pending between them.
		events, _, _ := db.FindEvents(ctx, u.AppID, iswigo.Range{From: 0, To: 99})
		starts := 0
		for _, ev := range events {
			if ev.Type == iswigo.EventConnectionStatus && string(ev.Data) != "" && strings.Contains(string(ev.Data), `"progression":0`) {
				starts++
			}
		}
		if starts != 3 {
			t.Fatalf("%d attempts; want 3", starts)
		}
	})
}
