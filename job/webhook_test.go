// SPDX-License-Identifier: Apache-2.0

package job_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/connector"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// receiver is a webhook endpoint that checks both signatures of every
// delivery with the application's secret.
type receiver struct {
	t       *testing.T
	server  *httptest.Server
	secret  string
	mu      sync.Mutex
	got     []delivery
	answers []int // status to answer, in order; then 200
	arrived chan struct{}
}

type delivery struct {
	at      time.Time
	attempt int
	eventID string
	body    []byte
	status  int
}

func newReceiver(t *testing.T, secret string, answers ...int) *receiver {
	r := &receiver{t: t, secret: secret, answers: answers, arrived: make(chan struct{}, 100)}
	r.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if want := auth.Signature(secret, "POST", req.URL.RequestURI(), body); req.Header.Get("X-Iswigo-Signature") != want {
			t.Errorf("X-Iswigo-Signature %q; want %q", req.Header.Get("X-Iswigo-Signature"), want)
		}
		ts := req.Header.Get("X-Iswigo-Timestamp")
		if sec, err := strconv.ParseInt(ts, 10, 64); err != nil || time.Since(time.Unix(sec, 0)).Abs() > time.Minute {
			t.Errorf("X-Iswigo-Timestamp %q", ts)
		}
		if req.Header.Get("X-Iswigo-Signature-256") != job.WebhookHMAC(secret, ts, body) {
			t.Error("X-Iswigo-Signature-256 does not verify")
		}
		if req.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type %q", req.Header.Get("Content-Type"))
		}
		attempt, _ := strconv.Atoi(req.Header.Get("X-Iswigo-Delivery-Attempt"))
		r.mu.Lock()
		status := 200
		if len(r.answers) > 0 {
			status, r.answers = r.answers[0], r.answers[1:]
		}
		r.got = append(r.got, delivery{time.Now(), attempt, req.Header.Get("X-Iswigo-Event-Id"), body, status})
		r.mu.Unlock()
		w.WriteHeader(status)
		r.arrived <- struct{}{}
	}))
	t.Cleanup(r.server.Close)
	return r
}

// wait returns the deliveries once n have arrived (30 s at most).
func (r *receiver) wait(n int) []delivery {
	r.t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		r.mu.Lock()
		got := append([]delivery(nil), r.got...)
		r.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-r.arrived:
		case <-timeout:
			r.t.Fatalf("%d deliveries after 30s; want %d", len(got), n)
		}
	}
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// hookEnv is a store with an application whose webhook URL is rcv's.
func hookEnv(t *testing.T, db *sqldb.DB, name string) (*iswigo.App, *receiver) {
	ctx := context.Background()
	app := &iswigo.App{Name: name, Secret: "secret-" + name + "-0123456789"}
	if err := db.CreateApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	rcv := newReceiver(t, app.Secret)
	app.WebhookURL = rcv.server.URL + "/hooks/iswigo?app=" + name
	if err := db.UpdateApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	return app, rcv
}

func startEngine(t *testing.T, db *sqldb.DB, cfg job.Config) *job.Engine {
	t.Helper()
	registry, _ := connector.NewRegistry()
	cfg.FetchCooldown, cfg.FetchPollInterval = 5*time.Millisecond, 20*time.Millisecond
	cfg.ScanInterval = time.Hour
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	e, err := job.New(db, registry, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(e) })
	return e
}

func stop(e *job.Engine) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.Stop(ctx)
}

func migrated(t *testing.T, db *sqldb.DB) *sqldb.DB {
	if err := job.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestWebhookDelivered(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		migrated(t, db)
		ctx := context.Background()
		app, rcv := hookEnv(t, db, "alpha")
		other, otherRcv := hookEnv(t, db, "beta")
		startEngine(t, db, job.Config{Work: true, AllowPrivateWebhooks: true})
		u := &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got := rcv.wait(1)[0]
		events, _, _ := db.FindEvents(ctx, app.ID, iswigo.DefaultRange)
		want, _ := json.Marshal(events[0].Wire())
		if string(got.body) != string(want) || got.eventID != events[0].ID || got.attempt != 1 {
			t.Fatalf("delivery %s (attempt %d); want the event's JSON %s", got.body, got.attempt, want)
		}
		// An event of A never reaches B's endpoint, and the other way round.
		if err := db.CreateUser(ctx, &iswigo.User{AppID: other.ID, Email: "b@example.com", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		otherRcv.wait(1)
		time.Sleep(100 * time.Millisecond)
		if rcv.count() != 1 || otherRcv.count() != 1 {
			t.Fatalf("deliveries crossed applications: %d and %d", rcv.count(), otherRcv.count())
		}
		// Endpoints filtered by type get only their types.
		filtered := newReceiver(t, app.Secret)
		if err := db.CreateWebhookEndpoint(ctx, &iswigo.WebhookEndpoint{AppID: app.ID, URL: filtered.server.URL + "/f",
			Events: []string{iswigo.EventUserDeleted}}); err != nil {
			t.Fatal(err)
		}
		db.CreateUser(ctx, &iswigo.User{AppID: app.ID, Email: "c@example.com", PasswordHash: "x"})
		db.DeleteUser(ctx, app.ID, u.ID)
		rcv.wait(3)
		if d := filtered.wait(1); len(d) != 1 || !json.Valid(d[0].body) || !containsType(d[0].body, iswigo.EventUserDeleted) {
			t.Fatalf("filtered endpoint got %d deliveries", len(d))
		}
	})
}

func containsType(body []byte, typ string) bool {
	var e struct{ Type string }
	json.Unmarshal(body, &e)
	return e.Type == typ
}

func TestWebhookRetried(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		migrated(t, db)
		ctx := context.Background()
		app, rcv := hookEnv(t, db, "alpha")
		rcv.answers = []int{500, 503, 200}
		startEngine(t, db, job.Config{Work: true, AllowPrivateWebhooks: true, WebhookRetryBase: 100 * time.Millisecond})
		db.CreateUser(ctx, &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"})
		got := rcv.wait(3)
		for i, d := range got {
			if d.attempt != i+1 || d.eventID != got[0].eventID || string(d.body) != string(got[0].body) {
				t.Fatalf("attempt %d: %+v", i+1, d)
			}
		}
		// Back-off from 100 ms, doubling, ±25%: at least 75 ms then 150 ms
		// (a loaded machine only adds to each; growth itself is unit-tested).
		first, second := got[1].at.Sub(got[0].at), got[2].at.Sub(got[1].at)
		if first < 70*time.Millisecond || second < 140*time.Millisecond {
			t.Fatalf("delays %v then %v: want at least 75ms then 150ms", first, second)
		}
		deliveries := waitDeliveries(t, db, app.ID, func(ds []*iswigo.WebhookDelivery) bool {
			return len(ds) == 1 && ds[0].Status == iswigo.DeliveryDelivered && len(ds[0].Attempts) == 3
		})
		if a := deliveries[0].Attempts; a[0].StatusCode != 500 || a[1].StatusCode != 503 || a[2].StatusCode != 200 || a[0].Error == "" {
			t.Fatalf("attempts %+v", a)
		}
		time.Sleep(300 * time.Millisecond)
		if rcv.count() != 3 {
			t.Fatalf("%d deliveries after the acknowledgement", rcv.count())
		}
	})
}

func waitDeliveries(t *testing.T, db *sqldb.DB, appID string, cond func([]*iswigo.WebhookDelivery) bool) []*iswigo.WebhookDelivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ds, err := db.FindDeliveries(context.Background(), appID, false, 100)
		if err != nil {
			t.Fatal(err)
		}
		if cond(ds) {
			return ds
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries: %d", len(ds))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWebhookFailsForGood(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		migrated(t, db)
		app, rcv := hookEnv(t, db, "alpha")
		rcv.answers = []int{500, 500, 500, 500}
		startEngine(t, db, job.Config{Work: true, AllowPrivateWebhooks: true, WebhookAttempts: 2, WebhookRetryBase: 20 * time.Millisecond})
		db.CreateUser(context.Background(), &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"})
		ds := waitDeliveries(t, db, app.ID, func(ds []*iswigo.WebhookDelivery) bool {
			return len(ds) == 1 && ds[0].Status == iswigo.DeliveryFailed
		})
		if len(ds[0].Attempts) != 2 {
			t.Fatalf("%d attempts", len(ds[0].Attempts))
		}
		failed, _ := db.FindDeliveries(context.Background(), app.ID, true, 10)
		if len(failed) != 1 {
			t.Fatalf("failed deliveries: %d", len(failed))
		}
	})
}

func TestWebhookPrivateURLRefused(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		migrated(t, db)
		app, rcv := hookEnv(t, db, "alpha")
		startEngine(t, db, job.Config{Work: true, WebhookAttempts: 1})
		db.CreateUser(context.Background(), &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"})
		ds := waitDeliveries(t, db, app.ID, func(ds []*iswigo.WebhookDelivery) bool {
			return len(ds) == 1 && ds[0].Status == iswigo.DeliveryFailed
		})
		if rcv.count() != 0 || len(ds[0].Attempts) != 1 || !contains(ds[0].Attempts[0].Error, "refused") {
			t.Fatalf("private URL: %d received, attempts %+v", rcv.count(), ds[0].Attempts)
		}
	})
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestWebhookSurvivesRestart: an event committed while no process works
// jobs (as just before a crash) is delivered once one starts; a delivery
// in back-off when its process stops is delivered by the next one.
func TestWebhookSurvivesRestart(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		migrated(t, db)
		ctx := context.Background()
		app, rcv := hookEnv(t, db, "alpha")
		if _, err := job.New(db, nil, job.Config{}); err != nil { // insert-only, like a process that dies
			t.Fatal(err)
		}
		db.CreateUser(ctx, &iswigo.User{AppID: app.ID, Email: "a@example.com", PasswordHash: "x"})
		if rcv.count() != 0 {
			t.Fatal("delivered without a worker")
		}
		rcv.answers = []int{500}
		first := startEngine(t, db, job.Config{Work: true, AllowPrivateWebhooks: true, WebhookRetryBase: 300 * time.Millisecond})
		rcv.wait(1) // the first attempt fails; the retry is in back-off
		stop(first)
		startEngine(t, db, job.Config{Work: true, AllowPrivateWebhooks: true, WebhookRetryBase: 300 * time.Millisecond})
		got := rcv.wait(2)
		if got[1].status != 200 || got[1].attempt != 2 {
			t.Fatalf("after restart: %+v", got[1])
		}
	})
}
