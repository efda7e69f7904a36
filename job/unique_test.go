// SPDX-License-Identifier: Apache-2.0

package job_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// countingConnector wraps the sandbox bank (999) and records, per
// connection, how many syncs ran and the most that ran at once. Sync
// waits on gate when it is set.
type countingConnector struct {
	iswigo.Connector
	gate chan struct{}

	mu         sync.Mutex
	inFlight   map[string]int
	mostAtOnce map[string]int
	runs       map[string]int
}

func newCountingConnector() *countingConnector {
	for _, c := range sandbox.New(sandbox.Options{StepDelay: 5 * time.Millisecond}) {
		if c.Provider().ID == 999 {
			return &countingConnector{Connector: c, inFlight: map[string]int{}, mostAtOnce: map[string]int{}, runs: map[string]int{}}
		}
	}
	panic("no sandbox bank")
}

func (c *countingConnector) Sync(ctx context.Context, s iswigo.SyncSession) error {
	id := s.(*sqldb.Sync).Connection().ID
	c.mu.Lock()
	c.runs[id]++
	c.inFlight[id]++
	c.mostAtOnce[id] = max(c.mostAtOnce[id], c.inFlight[id])
	gate := c.gate
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inFlight[id]--
		c.mu.Unlock()
	}()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return c.Connector.Sync(ctx, s)
}

func (c *countingConnector) counts(id string) (runs, most int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs[id], c.mostAtOnce[id]
}

func (c *countingConnector) setGate(g chan struct{}) {
	c.mu.Lock()
	c.gate = g
	c.mu.Unlock()
}

// twoWorkers opens the same database twice, as two processes would, with
// a started engine (its own lease) on each, both running counting syncs.
func twoWorkers(t *testing.T, d sqldb.Dialect, cfg job.Config) (dbs [2]*sqldb.DB, cc *countingConnector, u *iswigo.User) {
	t.Helper()
	ctx := context.Background()
	dbCfg := sqldbtest.Config(t, d)
	cc = newCountingConnector()
	registry, err := connector.NewRegistry(cc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range dbs {
		dbs[i] = sqldbtest.OpenConfig(t, dbCfg)
		if i == 0 {
			if err := job.Migrate(ctx, dbs[i]); err != nil {
				t.Fatal(err)
			}
		}
		c := cfg
		c.Work, c.WorkerName = true, []string{"one", "two"}[i]
		c.FetchCooldown, c.FetchPollInterval = 5*time.Millisecond, 20*time.Millisecond
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		e, err := job.New(dbs[i], registry, c)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			e.Stop(ctx)
		})
	}
	app := &iswigo.App{Name: "app", Secret: "secret", PSD2: true}
	if err := dbs[0].CreateApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	u = &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"}
	if err := dbs[0].CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return dbs, cc, u
}

// syncJobs returns how many sync jobs of the connection exist, and how
// many of them are not finalized.
func syncJobs(t *testing.T, db *sqldb.DB, id string) (all, active int) {
	t.Helper()
	arg := `json_extract(args, '$.connection_id')`
	if db.Dialect() == sqldb.Postgres {
		arg = `args->>'connection_id'`
	}
	err := db.WriteDB().QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE state NOT IN ('completed', 'cancelled', 'discarded'))
		FROM river_job WHERE kind = 'sync_connection' AND `+arg+` = $1`, id).Scan(&all, &active)
	if err != nil {
		t.Fatal(err)
	}
	return all, active
}

// TestOneSyncPerConnection: two workers on one database; rounds of 20
// concurrent sync requests through both, while the scan queues background
// syncs of the same connection as fast as it can. Never do two syncs of
// the connection run at once, and every job inserted ran the sync: no
// request added a second job.
func TestOneSyncPerConnection(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dbs, cc, u := twoWorkers(t, d, job.Config{ScanInterval: 20 * time.Millisecond})
			for _, db := range dbs {
				db.SyncInterval = time.Millisecond // always due for a background sync
			}
			ctx := context.Background()
			c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, AutomaticSync: true,
				Credentials: map[string]string{"login": "race-hector", "password": "123456"}}
			if err := dbs[0].CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
			for round := 0; round < 5; round++ {
				var wg sync.WaitGroup
				errs := make(chan error, 20)
				for i := 0; i < 20; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, err := dbs[i%2].RequestSync(ctx, u.AppID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: true})
						errs <- err
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					if err != nil {
						t.Fatalf("round %d: %v", round, err)
					}
				}
				time.Sleep(30 * time.Millisecond)
			}
			for _, db := range dbs {
				db.SyncInterval = time.Hour
			}
			waitFor(t, dbs[0], u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusFinished })
			deadline := time.Now().Add(30 * time.Second)
			for {
				all, active := syncJobs(t, dbs[0], c.ID)
				runs, most := cc.counts(c.ID)
				if most > 1 {
					t.Fatalf("%d syncs of the connection ran at once", most)
				}
				if active == 0 {
					if all != runs {
						t.Fatalf("%d sync jobs, %d syncs ran: a job ran without syncing", all, runs)
					}
					t.Logf("%d syncs, one at a time, one job each", runs)
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%d sync jobs still active", active)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// TestRequestSyncWhileRunning: 20 concurrent requests through two
// processes while the connection's sync runs answer its live status and
// add no job; the sync runs once.
func TestRequestSyncWhileRunning(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dbs, cc, u := twoWorkers(t, d, job.Config{ScanInterval: time.Hour})
			gate := make(chan struct{})
			cc.setGate(gate)
			ctx := context.Background()
			c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999,
				Credentials: map[string]string{"login": "busy-hector", "password": "123456"}}
			if err := dbs[0].CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
			waitFor(t, dbs[0], u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusInProgress })
			var wg sync.WaitGroup
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got, err := dbs[i%2].RequestSync(ctx, u.AppID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: true})
					if err != nil {
						t.Error(err)
					} else if got.Status != iswigo.StatusInProgress {
						t.Errorf("request during the sync: status %q, want the live %q", got.Status, iswigo.StatusInProgress)
					}
				}()
			}
			wg.Wait()
			close(gate)
			waitFor(t, dbs[0], u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusFinished })
			if runs, _ := cc.counts(c.ID); runs != 1 {
				t.Fatalf("%d syncs ran, want 1", runs)
			}
			if all, _ := syncJobs(t, dbs[0], c.ID); all != 1 {
				t.Fatalf("%d sync jobs, want 1", all)
			}
		})
	}
}

// TestRequestSyncOrphaned: a connection whose sync lost its job (it says
// "pending", no job exists) is re-queued by a sync request at once, not
// after the scan's last-resort delay.
func TestRequestSyncOrphaned(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		e, u := setup(t, db, job.Config{ScanInterval: time.Hour})
		ctx := context.Background()
		db.Hooks = nil // the job is lost
		c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, Credentials: map[string]string{"login": "orphan-hector", "password": "123456"}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		db.Hooks = e
		if all, _ := syncJobs(t, db, c.ID); all != 0 {
			t.Fatalf("%d jobs for a connection created without hooks", all)
		}
		got, err := db.RequestSync(ctx, u.AppID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: true})
		if err != nil || got.Status != iswigo.StatusPending {
			t.Fatalf("request: %v, status %+v", err, got)
		}
		waitFor(t, db, u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusFinished })
		if all, _ := syncJobs(t, db, c.ID); all != 1 {
			t.Fatalf("%d sync jobs, want 1", all)
		}
	})
}
