// SPDX-License-Identifier: Apache-2.0

package main

// Recovery after SIGKILL with default flags: a restarted process releases
// the jobs of its previous incarnation at once (TestRestartAfterKill); the
// survivors release a dead worker's jobs when its lease lapses
// (TestWorkerKilled). Only --sandbox-step-delay differs from the defaults,
// so that the syncs are still running when the process is killed.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// recoveryLogin is the sandbox login of every connection of these tests:
// the same data for all, so that each can be compared with one reference.
const recoveryLogin = "kill-hector"

// connSnapshot is the data of one connection.
type connSnapshot struct {
	ids    map[string]int             // transaction id → occurrences
	tuples map[string]map[txTuple]int // account type → tuple → occurrences
	counts map[string]int             // account type → transactions
}

// snapshotConnection reads every account and transaction of connection id.
func snapshotConnection(t *testing.T, c *api.Client, id string) connSnapshot {
	t.Helper()
	accounts, err := c.Accounts(context.Background(), iswigo.Range{From: 0, To: 99})
	if err != nil {
		t.Fatalf("accounts: %v", err)
	}
	s := connSnapshot{ids: map[string]int{}, tuples: map[string]map[txTuple]int{}, counts: map[string]int{}}
	for _, a := range accounts {
		if a.ConnectionID != id {
			continue
		}
		if s.tuples[a.Type] != nil {
			t.Errorf("connection %s: two accounts of type %q", id, a.Type)
		}
		s.tuples[a.Type] = map[txTuple]int{}
		for _, tx := range allTransactions(t, c, a.AccountID) {
			s.ids[tx.TransactionID]++
			s.tuples[a.Type][txTuple{tx.OperationDate.String(), tx.Wording, tx.Amount.Cents()}]++
			s.counts[a.Type]++
		}
	}
	return s
}

// sameData reports how got differs from want ("" when it does not).
func sameData(got, want connSnapshot) string {
	if len(got.tuples) != len(want.tuples) {
		return fmt.Sprintf("%d accounts, want %d", len(got.tuples), len(want.tuples))
	}
	for id, n := range got.ids {
		if n > 1 {
			return fmt.Sprintf("transaction %s listed %d times", id, n)
		}
	}
	for typ, tuples := range want.tuples {
		if got.counts[typ] != want.counts[typ] {
			return fmt.Sprintf("%s: %d transactions, want %d", typ, got.counts[typ], want.counts[typ])
		}
		for tu, n := range tuples {
			if got.tuples[typ][tu] != n {
				return fmt.Sprintf("%s: %+v ×%d, want ×%d", typ, tu, got.tuples[typ][tu], n)
			}
		}
	}
	return ""
}

// createSyncs creates n connections of recoveryLogin and returns their ids.
func createSyncs(t *testing.T, c *api.Client, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		conn, err := c.CreateConnection(context.Background(), 999, map[string]string{"login": recoveryLogin, "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = conn.ConnectionID
	}
	return ids
}

// statuses returns the status of each connection (failing on an error
// status: these syncs cannot fail).
func statuses(t *testing.T, c *api.Client, ids []string) []api.Status {
	t.Helper()
	out := make([]api.Status, len(ids))
	for i, id := range ids {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		st, err := c.ConnectionStatus(ctx, id)
		cancel()
		if err != nil {
			t.Fatalf("status of %s: %v", id, err)
		}
		if st.Status == iswigo.StatusError {
			t.Fatalf("connection %s: sync in error (errno %v)", id, st.Errno)
		}
		out[i] = st
	}
	return out
}

// progressOf returns the progression of an "in progress" status, -1 otherwise.
func progressOf(st api.Status) int {
	if st.Status != iswigo.StatusInProgress || st.Progression == nil {
		return -1
	}
	return *st.Progression
}

// untilAllFinished polls until every connection is finished or the
// deadline passes (failing the test then) and returns when the last one
// finished.
func untilAllFinished(t *testing.T, c *api.Client, ids []string, deadline time.Time, alive ...*serverProc) time.Time {
	t.Helper()
	for {
		for _, p := range alive {
			if p.exited() {
				t.Fatalf("%s exited: %v", p.name, p.err)
			}
		}
		sts := statuses(t, c, ids)
		unfinished := 0
		for _, st := range sts {
			if st.Status != iswigo.StatusFinished {
				unfinished++
			}
		}
		if unfinished == 0 {
			return time.Now()
		}
		if time.Now().After(deadline) {
			var desc []string
			for i, st := range sts {
				if st.Status != iswigo.StatusFinished {
					desc = append(desc, ids[i]+" "+(&statusWatch{}).describe(st))
				}
			}
			t.Fatalf("%d of %d syncs unfinished at the deadline: %v", unfinished, len(ids), desc)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkData compares every connection with a fresh, uninterrupted sync of
// the same login and checks that each one's transactions.added events
// announce exactly its transactions.
func checkData(t *testing.T, c *api.Client, ids []string, alive ...*serverProc) {
	t.Helper()
	ref := createSyncs(t, c, 1)[0]
	untilAllFinished(t, c, []string{ref}, time.Now().Add(60*time.Second), alive...)
	want := snapshotConnection(t, c, ref)
	if want.counts["account"] < 300 {
		t.Fatalf("reference: %d checking transactions", want.counts["account"])
	}
	announced := map[string]map[string]int{}
	for _, id := range ids {
		announced[id] = addedEvents(t, c, id)
	}
	accounts, err := c.Accounts(context.Background(), iswigo.Range{From: 0, To: 99})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if d := sameData(snapshotConnection(t, c, id), want); d != "" {
			t.Errorf("connection %s differs from an uninterrupted sync: %s", id, d)
		}
		for _, a := range accounts {
			if a.ConnectionID != id {
				continue
			}
			if n := len(allTransactions(t, c, a.AccountID)); announced[id][a.AccountID] != n {
				t.Errorf("connection %s, %s account: %d transactions, events announce %d", id, a.Type, n, announced[id][a.AccountID])
			}
		}
	}
}

// TestRestartAfterKill: 20 syncs run in one process (--role all), which is
// killed with SIGKILL; the process restarted on the same data finishes
// every one within 15 seconds of the kill, each with exactly the data of
// an uninterrupted sync.
func TestRestartAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills real processes")
	}
	t.Parallel()
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cfg := sqldbtest.Config(t, d)
			store := []string{"--data", cfg.DataDir, "--master-key", newMasterKey(t)}
			if cfg.URL != "" {
				store = append(store, "--database-url", cfg.URL)
			}
			args := append([]string{"--sandbox-step-delay", "1s"}, store...)
			app, secret := createApp(t, "restart", store)
			first := startServer(t, "first server", args...)
			c := newUser(t, api.NewClient(first.url(), app, secret), "restart@example.com")
			ids := createSyncs(t, c, 20)
			// Kill when every sync runs and one has written accounts (50%).
			deadline := time.Now().Add(60 * time.Second)
			for {
				sts := statuses(t, c, ids)
				running, top := 0, -1
				for _, st := range sts {
					if st.Status == iswigo.StatusFinished {
						t.Fatalf("a sync finished before the kill: raise --sandbox-step-delay")
					}
					if p := progressOf(st); p >= 0 {
						running++
						top = max(top, p)
					}
				}
				if running == len(ids) && top >= 50 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("not all syncs in progress after 60s: %d running, top %d%%", running, top)
				}
				time.Sleep(50 * time.Millisecond)
			}
			first.kill(t)
			killed := time.Now()

			second := startServer(t, "second server", args...)
			restarted := time.Now()
			c.BaseURL = second.url()
			done := untilAllFinished(t, c, ids, killed.Add(15*time.Second), second)
			t.Logf("recovery: %d syncs killed; restarted %v after the kill, all finished %v after the kill (%v after the restart)",
				len(ids), restarted.Sub(killed).Round(10*time.Millisecond), done.Sub(killed).Round(10*time.Millisecond),
				done.Sub(restarted).Round(10*time.Millisecond))
			if n := len(second.logLines("job of a dead process released for retry")); n < len(ids) {
				t.Errorf("the restarted process released %d jobs, want ≥ %d", n, len(ids))
			}
			checkData(t, c, ids, second)
		})
	}
}

// TestWorkerKilled: one API process and two workers on PostgreSQL; one
// worker is killed with SIGKILL while it runs syncs. The survivor takes
// them over once the dead worker's lease lapses (30 s by default): every
// sync is finished within 45 s of the kill, none ran twice at once, and no
// transaction is duplicated.
func TestWorkerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills real processes")
	}
	if !slices.Contains(sqldbtest.Dialects(), sqldb.Postgres) {
		t.Skipf("PostgreSQL only: %s is not set", sqldbtest.EnvDatabaseURL)
	}
	t.Parallel()
	cfg := sqldbtest.Config(t, sqldb.Postgres)
	key := newMasterKey(t)
	store := func(dir string) []string {
		return []string{"--data", dir, "--database-url", cfg.URL, "--master-key", key}
	}
	app, secret := createApp(t, "killed-worker", store(cfg.DataDir))
	a := startServer(t, "api", append([]string{"--role", "api"}, store(cfg.DataDir)...)...)
	// 10 syncs at most per worker for 20 syncs: each worker runs some,
	// whichever fetches first (with the default 20 one could take all).
	w1 := startServer(t, "worker 1", append([]string{"--role", "worker", "--sandbox-step-delay", "1s", "--sync-workers", "10"}, store(t.TempDir())...)...)
	w2 := startServer(t, "worker 2", append([]string{"--role", "worker", "--sandbox-step-delay", "1s", "--sync-workers", "10"}, store(t.TempDir())...)...)
	victim := ""
	if l := w1.logLines("job lease taken"); len(l) == 1 {
		victim, _ = l[0]["client_id"].(string)
	}
	if victim == "" {
		t.Fatal(`worker 1 logged no "job lease taken" line with its client_id`)
	}
	db, err := sqldb.Open(context.Background(), cfg) // River's tables only: no cipher
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	c := newUser(t, api.NewClient(a.url(), app, secret), "killed@example.com")
	ids := createSyncs(t, c, 20)
	held := func() int {
		var n int
		if err := db.WriteDB().QueryRow(`SELECT COUNT(*) FROM river_job WHERE kind = 'sync_connection' AND state = 'running'
			AND attempted_by[array_length(attempted_by, 1)] = $1`, victim).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(60 * time.Second)
	for held() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("worker 1 runs %d syncs after 60s", held())
		}
		time.Sleep(50 * time.Millisecond)
	}
	n := held()
	w1.kill(t)
	killed := time.Now()
	done := untilAllFinished(t, c, ids, killed.Add(45*time.Second), a, w2)
	t.Logf("recovery: worker 1 killed with %d syncs running; all %d finished %v after the kill (lease 30s)",
		n, len(ids), done.Sub(killed).Round(10*time.Millisecond))
	if l := w2.logLines("job of a dead process released for retry"); len(l) < n {
		t.Errorf("worker 2 released %d jobs, want ≥ %d", len(l), n)
	}
	checkData(t, c, ids, a, w2)
	// No sync ran twice at once: each connection has one "sync finished"
	// line in all (the killed worker finished none of those it held).
	finished := map[string]int{}
	for _, p := range []*serverProc{w1, w2} {
		for _, l := range p.logLines("sync finished") {
			id, _ := l["connection_id"].(string)
			finished[id]++
		}
	}
	for _, id := range ids {
		if finished[id] != 1 {
			t.Errorf("connection %s: %d \"sync finished\" lines, want 1", id, finished[id])
		}
	}
}

// TestConcurrentSyncRequests: 20 concurrent POST /v1/connections/{id}/sync
// and 5 POST /v1/connections/sync on a connection, while the scan looks
// for due syncs, on SQLite (one process) and on PostgreSQL (an API process
// and two workers). The connection's status events show one sync at a
// time: a sync starts ("in progress" 0%) only after the previous one ended.
func TestConcurrentSyncRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	t.Parallel()
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cfg := sqldbtest.Config(t, d)
			key := newMasterKey(t)
			base := func(dir string) []string {
				s := []string{"--data", dir, "--master-key", key}
				if cfg.URL != "" {
					s = append(s, "--database-url", cfg.URL)
				}
				return s
			}
			store := func(dir string) []string {
				return append(base(dir), "--sandbox-step-delay", "200ms", "--sync-scan-interval", "1s")
			}
			app, secret := createApp(t, "concurrent", base(cfg.DataDir))
			var front *serverProc
			var alive []*serverProc
			if d == sqldb.Postgres {
				front = startServer(t, "api", append([]string{"--role", "api"}, store(cfg.DataDir)...)...)
				alive = []*serverProc{front,
					startServer(t, "worker 1", append([]string{"--role", "worker"}, store(t.TempDir())...)...),
					startServer(t, "worker 2", append([]string{"--role", "worker"}, store(t.TempDir())...)...)}
			} else {
				front = startServer(t, "server", store(cfg.DataDir)...)
				alive = []*serverProc{front}
			}
			c := newUser(t, api.NewClient(front.url(), app, secret), "concurrent@example.com")
			id := createSyncs(t, c, 1)[0]
			untilAllFinished(t, c, []string{id}, time.Now().Add(30*time.Second), alive...)
			errs := make(chan error, 25)
			for i := 0; i < 25; i++ {
				go func() {
					var err error
					if i%5 == 4 {
						_, err = c.SyncAll(context.Background())
					} else {
						_, err = c.SyncConnection(context.Background(), id)
					}
					errs <- err
				}()
			}
			for i := 0; i < 25; i++ {
				if err := <-errs; err != nil {
					t.Fatalf("sync request: %v", err)
				}
			}
			untilAllFinished(t, c, []string{id}, time.Now().Add(30*time.Second), alive...)
			starts := 0
			var prev string
			for _, st := range connectionStatusEvents(t, c, id) {
				if st.Status == iswigo.StatusInProgress && st.Progression != nil && *st.Progression == 0 {
					starts++
					if prev == iswigo.StatusInProgress || prev == iswigo.StatusWaitingUser {
						t.Fatalf("a sync started while another ran (start %d)", starts)
					}
				}
				prev = st.Status
			}
			if starts < 2 || starts > 3 {
				// The creation's sync, then the requests' (joined into one),
				// and maybe one more if requests came after it ended.
				t.Fatalf("%d syncs ran, want 2 (or 3)", starts)
			}
			t.Logf("%d syncs for 1 creation and 25 concurrent requests", starts)
		})
	}
}

// connectionStatusEvents returns the connection.status events of a
// connection, oldest first.
func connectionStatusEvents(t *testing.T, c *api.Client, id string) []iswigo.StatusEventData {
	t.Helper()
	var out []iswigo.StatusEventData
	for from := 0; ; from += iswigo.MaxRangeSize {
		page, err := c.Events(context.Background(), iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1})
		if err != nil {
			t.Fatalf("events: %v", err)
		}
		for _, e := range page {
			if e.Type != iswigo.EventConnectionStatus {
				continue
			}
			var d iswigo.StatusEventData
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			if d.ConnectionID == id {
				out = append(out, d)
			}
		}
		if len(page) < iswigo.MaxRangeSize {
			break
		}
	}
	slices.Reverse(out) // served newest first
	return out
}
