// SPDX-License-Identifier: Apache-2.0

package main

// Tests with real processes: this test binary runs as the iswigo command
// (TestMain, ISWIGO_TEST_RUN_MAIN=1), is killed with SIGKILL and restarted.

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// pollEvery is how often the tests look at a status or a log.
const pollEvery = 25 * time.Millisecond

// newMasterKey returns a base64key:// URL of 32 random bytes, as
// crypt.OpenKEK (localsecrets) expects it: base64 URL encoding, padded.
func newMasterKey(t *testing.T) string {
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return "base64key://" + base64.URLEncoding.EncodeToString(k[:])
}

// serverProc is one "iswigo serve" process.
type serverProc struct {
	name   string
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // Wait's result, once done is closed
	addr   string        // the "listening" log line's addr
}

// startServer runs "iswigo serve --addr 127.0.0.1:0 args…" as a process,
// waits for its "listening" log line and returns it. The process is killed
// when t ends, and its log printed if t failed.
func startServer(t *testing.T, name string, args ...string) *serverProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	// Only the flags given here configure the child: drop the caller's ISWIGO_*.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ISWIGO_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "ISWIGO_TEST_RUN_MAIN=1")
	p := &serverProc{name: name, cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.kill(t)
		if t.Failed() {
			// Everything but the request log lines.
			var b strings.Builder
			for _, line := range strings.SplitAfter(p.stderr.String(), "\n") {
				if !strings.Contains(line, `"msg":"request"`) {
					b.WriteString(line)
				}
			}
			log := b.String()
			if len(log) > 6000 {
				log = "…" + log[len(log)-6000:]
			}
			t.Logf("log of %s:\n%s", name, log)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range p.logLines("listening") {
			if addr, _ := l["addr"].(string); addr != "" {
				p.addr = addr
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited before listening: %v\n%s", name, p.err, p.stderr.String())
		case <-time.After(pollEvery):
		}
	}
	t.Fatalf("%s: no listening line within 30s:\n%s", name, p.stderr.String())
	return nil
}

// url returns the server's base URL.
func (p *serverProc) url() string { return "http://" + p.addr }

// exited reports whether the process has ended.
func (p *serverProc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL (if still running) and waits for the process to end.
func (p *serverProc) kill(t *testing.T) {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Kill()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Errorf("%s (pid %d) still running 10s after SIGKILL", p.name, p.cmd.Process.Pid)
	}
}

// logLines returns the JSON log lines whose msg is msg.
func (p *serverProc) logLines(msg string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(p.stderr.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l map[string]any
		if json.Unmarshal(sc.Bytes(), &l) == nil && l["msg"] == msg {
			out = append(out, l)
		}
	}
	return out
}

// logTime returns the time of the first log line whose msg contains
// substr, and whether there is one.
func (p *serverProc) logTime(substr string) (time.Time, bool) {
	sc := bufio.NewScanner(strings.NewReader(p.stderr.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Time time.Time
			Msg  string
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && strings.Contains(l.Msg, substr) {
			return l.Time, true
		}
	}
	return time.Time{}, false
}

// jobLines returns the log lines of sync jobs (sync_connection) about connection id.
func (p *serverProc) jobLines(id string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(p.stderr.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l map[string]any
		if json.Unmarshal(sc.Bytes(), &l) == nil && l["job"] == "sync_connection" && l["connection_id"] == id {
			out = append(out, l)
		}
	}
	return out
}

// createApp creates a PSD2 application in-process with the store flags
// and returns its name and secret.
func createApp(t *testing.T, name string, store []string) (app, secret string) {
	t.Helper()
	out, err := runCmd(t, append([]string{"app", "create", "--name", name, "--psd2"}, store...)...)
	if err != nil {
		t.Fatalf("app create: %v", err)
	}
	var created struct{ Name, Secret string }
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.Secret == "" {
		t.Fatalf("app create printed %q (%v)", out, err)
	}
	return created.Name, created.Secret
}

// newUser creates a user through c and returns c acting as that user.
func newUser(t *testing.T, c *api.Client, email string) *api.Client {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, email, "Str0ng!Passw0rd"); err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	tok, err := c.Authenticate(ctx, email, "Str0ng!Passw0rd")
	if err != nil {
		t.Fatalf("authenticate %s: %v", email, err)
	}
	return c.WithToken(tok.AccessToken)
}

// statusWatch polls a connection's status and keeps the transitions seen.
type statusWatch struct {
	c    *api.Client
	id   string
	seen []string
}

func (w *statusWatch) describe(st api.Status) string {
	s := st.Status
	if st.Progression != nil {
		s += fmt.Sprintf(" %d%%", *st.Progression)
	}
	if st.Step != nil {
		s += " step=" + *st.Step
	}
	if st.Errno != nil {
		s += fmt.Sprintf(" errno=%d", int(*st.Errno))
	}
	return s
}

// until polls until cond holds or max has passed; it fails the test if a
// server in alive has exited.
func (w *statusWatch) until(t *testing.T, max time.Duration, what string, cond func(api.Status) bool, alive ...*serverProc) api.Status {
	t.Helper()
	deadline := time.Now().Add(max)
	var st api.Status
	var lastErr error
	for {
		for _, p := range alive {
			if p.exited() {
				t.Fatalf("%s exited (%v) while waiting for %s; statuses seen: %v", p.name, p.err, what, w.seen)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		got, err := w.c.ConnectionStatus(ctx, w.id)
		cancel()
		if err == nil {
			st = got
			if d := w.describe(st); len(w.seen) == 0 || w.seen[len(w.seen)-1] != d {
				w.seen = append(w.seen, d)
			}
			if cond(st) {
				return st
			}
		} else {
			lastErr = err
		}
		if time.Now().After(deadline) {
			t.Fatalf("connection %s: no %s within %v; statuses seen: %v (last request error: %v)", w.id, what, max, w.seen, lastErr)
		}
		time.Sleep(pollEvery)
	}
}

func isFinished(st api.Status) bool { return st.Status == iswigo.StatusFinished }

// finishedOrFail is a condition of statusWatch.until: "finished", failing
// at once on "error".
func finishedOrFail(t *testing.T) func(api.Status) bool {
	return func(st api.Status) bool {
		if st.Status == iswigo.StatusError {
			t.Fatalf("sync ended in error: %+v (errno %v)", st, st.Errno)
		}
		return isFinished(st)
	}
}

// allTransactions returns every transaction of an account, newest first.
func allTransactions(t *testing.T, c *api.Client, accountID string) []api.Transaction {
	t.Helper()
	var txs []api.Transaction
	for from := 0; ; from += iswigo.MaxRangeSize {
		page, err := c.Transactions(context.Background(), accountID, iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1}, "", "")
		if err != nil {
			t.Fatalf("transactions of %s: %v", accountID, err)
		}
		txs = append(txs, page...)
		if len(page) < iswigo.MaxRangeSize {
			return txs
		}
	}
}

// accountsByType returns the user's accounts by type, failing on a
// repeated type.
func accountsByType(t *testing.T, c *api.Client) (map[string]api.Account, int) {
	t.Helper()
	accounts, err := c.Accounts(context.Background(), iswigo.Range{From: 0, To: 99})
	if err != nil {
		t.Fatalf("accounts: %v", err)
	}
	out := map[string]api.Account{}
	for _, a := range accounts {
		if _, dup := out[a.Type]; dup {
			t.Errorf("two accounts of type %q: %+v", a.Type, accounts)
		}
		out[a.Type] = a
	}
	return out, len(accounts)
}

// TestTwoProcessStep: the API (process A) and the worker (process B) are
// different processes on one PostgreSQL database. The step is asked by the
// sync running in B and answered through A.
func TestTwoProcessStep(t *testing.T) {
	if !slices.Contains(sqldbtest.Dialects(), sqldb.Postgres) {
		t.Skipf("PostgreSQL only: %s is not set", sqldbtest.EnvDatabaseURL)
	}
	t.Parallel()
	cfg := sqldbtest.Config(t, sqldb.Postgres)
	key := newMasterKey(t)
	storeA := []string{"--data", cfg.DataDir, "--database-url", cfg.URL, "--master-key", key}
	storeB := []string{"--data", t.TempDir(), "--database-url", cfg.URL, "--master-key", key}
	app, secret := createApp(t, "two-process", storeA)

	a := startServer(t, "A (api)", append([]string{"--role", "api"}, storeA...)...)
	b := startServer(t, "B (worker)", append([]string{"--role", "worker"}, storeB...)...)

	ctx := context.Background()
	c := newUser(t, api.NewClient(a.url(), app, secret), "two@example.com")
	conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "sms-two", "password": "123456"})
	if err != nil {
		t.Fatal(err)
	}
	w := &statusWatch{c: c, id: conn.ConnectionID}
	start := time.Now()
	w.until(t, 30*time.Second, `"waiting user" with step "sms"`, func(st api.Status) bool {
		if st.Status == iswigo.StatusError || st.Status == iswigo.StatusFinished {
			t.Fatalf("sync ended without asking the step: %v", w.seen)
		}
		return st.Status == iswigo.StatusWaitingUser && st.Step != nil && *st.Step == "sms"
	}, a, b)
	asked := time.Since(start)
	if st, err := c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "1234"}); err != nil {
		t.Fatalf("answer through A: %v (%+v)", err, st)
	}
	w.until(t, 30*time.Second, `"finished"`, finishedOrFail(t), a, b)
	t.Logf("step asked after %v, finished %v after creation; statuses: %v", asked.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), w.seen)

	byType, n := accountsByType(t, c)
	if n != 4 {
		t.Fatalf("%d accounts, want 4: %+v", n, byType)
	}
	if txs := allTransactions(t, c, byType["account"].AccountID); len(txs) < 300 {
		t.Fatalf("%d transactions on the checking account, want ≥ 300", len(txs))
	}

	// B worked the job; A never did.
	if l := a.jobLines(conn.ConnectionID); len(l) > 0 || len(a.logLines("sync finished")) > 0 {
		t.Errorf("the api process worked a sync job: %v", l)
	}
	if l := a.logLines("River client started"); len(l) > 0 {
		t.Errorf("the api process started River's workers: %v", l)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(b.logLines("sync finished")) == 0 && time.Now().Before(deadline) {
		time.Sleep(pollEvery) // the status commit precedes the log line
	}
	finished := b.logLines("sync finished")
	if len(finished) != 1 || finished[0]["connection_id"] != conn.ConnectionID {
		t.Errorf(`worker's "sync finished" lines: %v, want one for %s`, finished, conn.ConnectionID)
	}
	// The worker serves no API route.
	if _, err := api.NewClient(b.url(), app, secret).Authenticate(ctx, "two@example.com", "Str0ng!Passw0rd"); err == nil {
		t.Error("the worker process answered /v1/authenticate")
	}
}

// txTuple identifies a transaction by its content.
type txTuple struct {
	date, wording string
	cents         int64
}

// bankSnapshot is every account and transaction of a user with one connection.
type bankSnapshot struct {
	accounts int
	ids      map[string]int             // transaction id → occurrences
	tuples   map[string]map[txTuple]int // account type → tuple → occurrences
	counts   map[string]int             // account type → transactions
}

func snapshot(t *testing.T, c *api.Client) bankSnapshot {
	t.Helper()
	byType, n := accountsByType(t, c)
	s := bankSnapshot{accounts: n, ids: map[string]int{}, tuples: map[string]map[txTuple]int{}, counts: map[string]int{}}
	for typ, a := range byType {
		s.tuples[typ] = map[txTuple]int{}
		for _, tx := range allTransactions(t, c, a.AccountID) {
			s.ids[tx.TransactionID]++
			s.tuples[typ][txTuple{tx.OperationDate.String(), tx.Wording, tx.Amount.Cents()}]++
			s.counts[typ]++
		}
	}
	return s
}

// TestCrashDuringSync kills the server (SIGKILL) while a sync is writing,
// restarts it on the same database and checks that the sync is taken over
// and finishes with exactly the data of an uninterrupted sync.
//
// The restarted process releases the jobs its previous incarnation left
// running as it starts (job leases); --job-rescue-after 6s and
// --sync-scan-interval 1s keep the last resorts (River's rescuer, the sync
// scan) close behind.
func TestCrashDuringSync(t *testing.T) {
	if testing.Short() {
		t.Skip("takes tens of seconds: the takeover waits for leader election and the rescue delay")
	}
	t.Parallel()
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			testCrashDuringSync(t, d)
		})
	}
}

func testCrashDuringSync(t *testing.T, d sqldb.Dialect) {
	cfg := sqldbtest.Config(t, d)
	store := []string{"--data", cfg.DataDir, "--master-key", newMasterKey(t)}
	if cfg.URL != "" {
		store = append(store, "--database-url", cfg.URL)
	}
	serveArgs := append([]string{"--role", "all", "--sandbox-step-delay", "400ms", "--job-timeout", "5s",
		"--job-rescue-after", "6s", "--sync-scan-interval", "1s",
		// A rescued job is retried after the retry back-off: keep it short.
		"--sync-retry-base", "1s"}, store...)
	app, secret := createApp(t, "crash", store)
	const login = "crash-hector"

	first := startServer(t, "first server", serveArgs...)
	ctx := context.Background()
	c := newUser(t, api.NewClient(first.url(), app, secret), "crash@example.com")
	conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": login, "password": "123456"})
	if err != nil {
		t.Fatal(err)
	}
	w := &statusWatch{c: c, id: conn.ConnectionID}
	// Progress 70 is reported right after the checking account's
	// transactions were written, 400ms before 90 and the end: kill there.
	w.until(t, 30*time.Second, `"in progress" at 70% or more`, func(st api.Status) bool {
		if st.Status == iswigo.StatusFinished || st.Status == iswigo.StatusError {
			t.Fatalf("the sync ended before the kill: %v", w.seen)
		}
		return st.Status == iswigo.StatusInProgress && st.Progression != nil && *st.Progression >= 70
	}, first)
	first.kill(t)
	killed := time.Now()
	if l := first.logLines("sync finished"); len(l) > 0 {
		t.Fatalf("the sync finished before the kill: %v", l)
	}
	t.Logf("killed the first server during the sync; statuses: %v", w.seen)

	second := startServer(t, "second server", serveArgs...)
	c.BaseURL = second.url()
	w.seen = nil
	// Killed mid-sync: the connection shows its running sync, and part of
	// its data is there already.
	st := w.until(t, 5*time.Second, "the status after restart", func(api.Status) bool { return true }, second)
	if st.Status == iswigo.StatusFinished || st.Status == iswigo.StatusError {
		t.Fatalf("after the kill, status %v: the kill came too late", w.seen)
	}
	partial := snapshot(t, c)
	t.Logf("after restart, before takeover: status %v, %d accounts, %v transactions by account type",
		w.seen, partial.accounts, partial.counts)
	if partial.counts["account"] == 0 {
		t.Error("no checking transaction was written before the kill: the crash did not interrupt the ingest")
	}

	w.until(t, 150*time.Second, `"finished" after the takeover`, finishedOrFail(t), second)
	t.Logf("takeover: finished %v after the kill; statuses: %v", time.Since(killed).Round(100*time.Millisecond), w.seen)
	for _, l := range second.jobLines(conn.ConnectionID) {
		t.Logf("second server: %v attempt=%v", l["msg"], l["attempt"])
	}
	if at, ok := second.logTime("JobRescuer: Ran successfully"); ok {
		t.Logf("River rescued the killed job %v after the kill", at.Sub(killed).Round(100*time.Millisecond))
	}

	// A fresh, uninterrupted sync of the same login.
	fresh := newUser(t, api.NewClient(second.url(), app, secret), "fresh@example.com")
	freshConn, err := fresh.CreateConnection(ctx, 999, map[string]string{"login": login, "password": "123456"})
	if err != nil {
		t.Fatal(err)
	}
	fw := &statusWatch{c: fresh, id: freshConn.ConnectionID}
	fw.until(t, 60*time.Second, `"finished" of the fresh sync`, finishedOrFail(t), second)

	got, want := snapshot(t, c), snapshot(t, fresh)
	if got.accounts != 4 || want.accounts != 4 {
		t.Fatalf("accounts: %d after the crash, %d fresh, want 4", got.accounts, want.accounts)
	}
	if got.counts["account"] < 300 || got.counts["account"] != want.counts["account"] {
		t.Errorf("checking transactions: %d after the crash, %d fresh", got.counts["account"], want.counts["account"])
	}
	for id, n := range got.ids {
		if n > 1 {
			t.Errorf("transaction id %s listed %d times", id, n)
		}
		if want.ids[id] > 0 {
			t.Errorf("transaction id %s in both connections", id)
		}
	}
	// Same (date, wording, amount) tuples, each as many times.
	for typ, tuples := range want.tuples {
		if got.counts[typ] != want.counts[typ] {
			t.Errorf("%s: %d transactions after the crash, %d fresh", typ, got.counts[typ], want.counts[typ])
		}
		var diffs []string
		for tu, n := range tuples {
			if g := got.tuples[typ][tu]; g != n {
				diffs = append(diffs, fmt.Sprintf("%+v ×%d after the crash, ×%d fresh", tu, g, n))
			}
		}
		for tu, n := range got.tuples[typ] {
			if tuples[tu] == 0 {
				diffs = append(diffs, fmt.Sprintf("%+v ×%d after the crash, not in the fresh sync", tu, n))
			}
		}
		if len(diffs) > 0 {
			slices.Sort(diffs)
			t.Errorf("%s: %d transactions differ from the fresh sync, e.g.:\n%s", typ, len(diffs), strings.Join(diffs[:min(len(diffs), 5)], "\n"))
		}
	}
	// Every transaction is announced by a transactions.added event (the
	// fresh connection is the control). Transactions written by the killed
	// attempt are stored, so the attempt that takes over adds none of them.
	for name, sn := range map[string]struct {
		c  *api.Client
		id string
	}{"after the crash": {c, conn.ConnectionID}, "fresh": {fresh, freshConn.ConnectionID}} {
		announced := addedEvents(t, sn.c, sn.id)
		byType, _ := accountsByType(t, sn.c)
		for typ, a := range byType {
			n := len(allTransactions(t, sn.c, a.AccountID))
			if announced[a.AccountID] != n {
				t.Errorf("%s: the %q account has %d transactions, its transactions.added events announce %d",
					name, typ, n, announced[a.AccountID])
			}
		}
	}
}

// addedEvents sums the counts of the transactions.added events of a
// connection by account id.
func addedEvents(t *testing.T, c *api.Client, connectionID string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for from := 0; ; from += iswigo.MaxRangeSize {
		page, err := c.Events(context.Background(), iswigo.Range{From: from, To: from + iswigo.MaxRangeSize - 1})
		if err != nil {
			t.Fatalf("events: %v", err)
		}
		for _, e := range page {
			if e.Type != iswigo.EventTransactionsAdded {
				continue
			}
			var d struct {
				ConnectionID string `json:"connection_id"`
				AccountID    string `json:"account_id"`
				Count        int    `json:"count"`
			}
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatalf("event %s: %v", e.EventID, err)
			}
			if d.ConnectionID == connectionID {
				out[d.AccountID] += d.Count
			}
		}
		if len(page) < iswigo.MaxRangeSize {
			return out
		}
	}
}
