// SPDX-License-Identifier: Apache-2.0

package job_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestCrashingSyncGivenUp: a sync whose processes die while running it
// (simulated: the job is marked running in a process without a lease) is
// released for another try MaxJobCrashes-1 times, then given up: the job
// is discarded and the connection ends in "error" with errno 1, instead of
// killing processes forever. A later sync request queues a fresh job.
func TestCrashingSyncGivenUp(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		u, c := queueOnly(t, db)
		for crash := 1; crash <= sqldb.MaxJobCrashes; crash++ {
			dead := sqldb.LeaseClientPrefix + "dead" + strconv.Itoa(crash)
			runIn(t, db, dead)
			if _, err := db.WriteDB().Exec(`UPDATE connections SET status = 'in progress', progression = 40 WHERE id = $1`, c.ID); err != nil {
				t.Fatal(err)
			}
			released, err := db.ReleaseOrphanedJobs(ctx, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			last := crash == sqldb.MaxJobCrashes
			if len(released) != 1 || released[0].ConnectionID != c.ID || released[0].Holder != dead || released[0].Discarded != last {
				t.Fatalf("crash %d: released %+v", crash, released)
			}
			got, err := db.FindConnectionByID(ctx, u.AppID, u.ID, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			all, active := syncJobs(t, db, c.ID)
			switch {
			case !last && (got.Status != iswigo.StatusPending || all != 1 || active != 1):
				t.Fatalf("crash %d: status %q, %d jobs (%d active); want pending, the job available again", crash, got.Status, all, active)
			case last && (got.Status != iswigo.StatusError || got.Errno != iswigo.ErrnoBug || got.NbErrors != 1 || active != 0):
				t.Fatalf("crash %d: status %q errno %d nb_errors %d, %d active jobs; want error 1 and the job discarded",
					crash, got.Status, got.Errno, got.NbErrors, active)
			}
		}
		if again, err := db.ReleaseOrphanedJobs(ctx, time.Now()); err != nil || len(again) != 0 {
			t.Fatalf("after the job was given up: released %+v, %v", again, err)
		}
		events, _, err := db.FindEvents(ctx, u.AppID, iswigo.Range{From: 0, To: 99})
		if err != nil {
			t.Fatal(err)
		}
		if ev := events[0]; ev.Type != iswigo.EventConnectionStatus || !strings.Contains(string(ev.Data), `"status":"error"`) {
			t.Fatalf("newest event %s %s; want the connection.status error", ev.Type, ev.Data)
		}
		got, err := db.RequestSync(ctx, u.AppID, u.ID, iswigo.SyncRequest{ConnectionID: c.ID, Interactive: true})
		if err != nil || got.Status != iswigo.StatusPending {
			t.Fatalf("sync after the give-up: %v, %+v", err, got)
		}
		if all, active := syncJobs(t, db, c.ID); all != 2 || active != 1 {
			t.Fatalf("after a new request: %d jobs, %d active; want a fresh one queued", all, active)
		}
	})
}

// TestHangingSyncGivenUp: a sync that outlives the job timeout at every
// attempt ends in "error" after its last attempt, with no job left to
// run it again, rather than "pending" for the scan to queue it forever.
func TestHangingSyncGivenUp(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		_, u := setupSandbox(t, db, job.Config{ScanInterval: time.Hour, JobTimeout: 200 * time.Millisecond,
			SyncRetries: 1, RetryBase: 10 * time.Millisecond}, sandbox.Options{StepDelay: time.Hour})
		ctx := context.Background()
		c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, Credentials: map[string]string{"login": "hang-hector", "password": "123456"}}
		if err := db.CreateConnection(ctx, c); err != nil {
			t.Fatal(err)
		}
		got := waitFor(t, db, u, c.ID, func(c *iswigo.Connection) bool { return c.Status == iswigo.StatusError })
		if got.Errno != iswigo.ErrnoUnavailable || got.NbErrors != 1 {
			t.Fatalf("errno %d, nb_errors %d; want 4 (the provider did not answer in time), 1", got.Errno, got.NbErrors)
		}
		if _, active := syncJobs(t, db, c.ID); active != 0 {
			t.Fatalf("%d sync jobs still active after the last attempt", active)
		}
	})
}

// queueOnly returns a store whose engine queues jobs but runs none (the
// test plays the processes), a user and a connection with its sync queued.
func queueOnly(t *testing.T, db *sqldb.DB) (*iswigo.User, *iswigo.Connection) {
	t.Helper()
	newEngine(t, db, job.Config{}, sandbox.Options{}) // queues jobs, runs none
	u := newUser(t, db)
	ctx := context.Background()
	c := &iswigo.Connection{AppID: u.AppID, UserID: u.ID, ProviderID: 999, Credentials: map[string]string{"login": "crash-hector", "password": "123456"}}
	if err := db.CreateConnection(ctx, c); err != nil {
		t.Fatal(err)
	}
	return u, c
}

// runIn marks the sync job as fetched by the process of clientID (one
// more attempt, running) and returns its id and attempt.
func runIn(t *testing.T, db *sqldb.DB, clientID string) (id int64, attempt int) {
	t.Helper()
	appendHolder := `attempted_by = json_insert(COALESCE(attempted_by, json('[]')), '$[#]', $1)`
	if db.Dialect() == sqldb.Postgres {
		appendHolder = `attempted_by = array_append(attempted_by, $1)`
	}
	err := db.WriteDB().QueryRow(`UPDATE river_job SET state = 'running', attempt = attempt + 1, attempted_at = CURRENT_TIMESTAMP, `+
		appendHolder+` WHERE kind = 'sync_connection' RETURNING id, attempt`, clientID).Scan(&id, &attempt)
	if err != nil {
		t.Fatal(err)
	}
	return id, attempt
}

// TestLostJobFenced: once a sync's job is released from its process (the
// lease lapsed: the process was paused, not dead), every write of that
// sync is refused with ErrJobLost, its end included, while the new attempt
// in another process writes as usual.
func TestLostJobFenced(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		u, c := queueOnly(t, db)
		provider := iswigo.Provider{ID: 999}
		paused := sqldb.LeaseClientPrefix + "paused"
		id, attempt := runIn(t, db, paused)
		old, err := db.BeginSyncJob(ctx, c.ID, provider, true, sqldb.SyncJob{Hold: db.JobHold(id, paused, attempt)})
		if err != nil {
			t.Fatal(err)
		}
		account := func(key string) *iswigo.ConnectorAccount {
			return &iswigo.ConnectorAccount{Key: key, Type: iswigo.AccountTypeChecking, Name: key, Currency: "EUR"}
		}
		if err := old.PutAccount(ctx, account("A")); err != nil {
			t.Fatalf("write while holding the job: %v", err)
		}
		// No lease for the paused process: another process releases its job.
		if released, err := db.ReleaseOrphanedJobs(ctx, time.Now()); err != nil || len(released) != 1 {
			t.Fatalf("release: %+v, %v", released, err)
		}
		for what, err := range map[string]error{
			"account":  old.PutAccount(ctx, account("B")),
			"progress": old.Progress(ctx, 50),
			"finish":   old.Finish(ctx, nil, true),
		} {
			if !errors.Is(err, sqldb.ErrJobLost) {
				t.Errorf("%s after the release: %v, want ErrJobLost", what, err)
			}
		}
		got, err := db.FindConnectionByID(ctx, u.AppID, u.ID, c.ID)
		if err != nil || got.Status != iswigo.StatusPending {
			t.Fatalf("after the refused end: %v, status %+v; want pending, as the release left it", err, got)
		}
		if n := countAccounts(t, db, c.ID); n != 1 {
			t.Fatalf("%d accounts; want only the one written before the release", n)
		}
		// The new attempt, in another process, owns the writes.
		other := sqldb.LeaseClientPrefix + "other"
		id, attempt = runIn(t, db, other)
		next, err := db.BeginSyncJob(ctx, c.ID, provider, true, sqldb.SyncJob{Hold: db.JobHold(id, other, attempt)})
		if err != nil {
			t.Fatal(err)
		}
		if err := next.PutAccount(ctx, account("B")); err != nil {
			t.Fatal(err)
		}
		if err := old.PutAccount(ctx, account("C")); !errors.Is(err, sqldb.ErrJobLost) {
			t.Fatalf("the paused sync wrote again during the new attempt: %v", err)
		}
		if err := next.Finish(ctx, nil, true); err != nil {
			t.Fatal(err)
		}
		if n := countAccounts(t, db, c.ID); n != 2 {
			t.Fatalf("%d accounts; want A and B", n)
		}
	})
}

func countAccounts(t *testing.T, db *sqldb.DB, connectionID string) (n int) {
	t.Helper()
	if err := db.WriteDB().QueryRow(`SELECT COUNT(*) FROM accounts WHERE connection_id = $1`, connectionID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
