// SPDX-License-Identifier: Apache-2.0

package job_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/job"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// BenchmarkWebhookDeliveries: events committed one after another on
// SQLite, delivered to a local receiver that answers at once. Reports
// deliveries/s and the delay from an event's commit to its first delivery
// attempt (p50, p99). Run with -benchtime 1x (each run delivers 1,000).
func BenchmarkWebhookDeliveries(b *testing.B) {
	const n = 1000
	for b.Loop() {
		db := sqldbtest.Open(b, sqldb.SQLite)
		if err := job.Migrate(context.Background(), db); err != nil {
			b.Fatal(err)
		}
		var mu sync.Mutex
		arrived := map[string]time.Time{}
		done := make(chan struct{})
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var ev struct {
				Data struct {
					UserID string `json:"user_id"`
				} `json:"data"`
			}
			json.Unmarshal(body, &ev)
			mu.Lock()
			if _, dup := arrived[ev.Data.UserID]; !dup {
				arrived[ev.Data.UserID] = time.Now()
				if len(arrived) == n {
					close(done)
				}
			}
			mu.Unlock()
		}))
		defer rcv.Close()
		ctx := context.Background()
		app := &iswigo.App{Name: "bench", Secret: "secret", WebhookURL: rcv.URL + "/hook"}
		if err := db.CreateApp(ctx, app); err != nil {
			b.Fatal(err)
		}
		e, err := job.New(db, nil, job.Config{Work: true, AllowPrivateWebhooks: true, Workers: 50,
			FetchCooldown: 5 * time.Millisecond, FetchPollInterval: 20 * time.Millisecond, ScanInterval: time.Hour,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			b.Fatal(err)
		}
		e.Start(ctx)
		committed := map[string]time.Time{}
		start := time.Now()
		for i := 0; i < n; i++ {
			u := &iswigo.User{AppID: app.ID, Email: fmt.Sprintf("u%d@example.com", i), PasswordHash: "x"}
			if err := db.CreateUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			committed[u.ID] = time.Now()
		}
		select {
		case <-done:
		case <-time.After(5 * time.Minute):
			b.Fatalf("%d of %d delivered", len(arrived), n)
		}
		elapsed := time.Since(start)
		stop(e)
		var delays []time.Duration
		for id, at := range arrived {
			delays = append(delays, at.Sub(committed[id]))
		}
		slices.Sort(delays)
		b.ReportMetric(float64(n)/elapsed.Seconds(), "deliveries/s")
		b.ReportMetric(float64(delays[len(delays)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(delays[len(delays)*99/100].Microseconds())/1000, "p99-ms")
	}
}
