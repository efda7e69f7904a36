// SPDX-License-Identifier: Apache-2.0

package api_test

// BenchmarkLoginStorm (issue 9): 256 closed-loop clients over loopback
// HTTP, each request a transactions page or, with probability 5%, POST
// /v1/authenticate with the real argon2id cost; the page's tail latency
// with the logins against the same load without them, and every 5xx.
//
//	ISWIGO_LOAD_DURATION=60s go test -run '^$' -bench LoginStorm -benchtime 1x -timeout 30m ./api/
//
// Sub-benchmarks: pages-only (no login), bounded (the default
// auth.HashLimiter: half of GOMAXPROCS computations at once), bounded-all
// (one per core), unbounded (one slot
// per client: the hashing as it was before the limiter). The numbers are
// in docs/benchmarks.md.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/auth"
)

// loadClients is the number of closed-loop clients; loginShare the
// fraction of their requests that authenticate.
const (
	loadClients = 256
	loginShare  = 0.05
)

func BenchmarkLoginStorm(b *testing.B) {
	duration := 60 * time.Second
	if v := os.Getenv("ISWIGO_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("ISWIGO_LOAD_DURATION: %v", err)
		}
		duration = d
	}
	for _, mode := range []struct {
		name    string
		login   float64
		limiter *auth.HashLimiter
	}{
		{"pages-only", 0, nil},
		{"bounded", loginShare, nil},
		{"bounded-all", loginShare, auth.NewHashLimiter(auth.HashLimiterParams{Concurrency: runtime.GOMAXPROCS(0)})},
		{"unbounded", loginShare, auth.NewHashLimiter(auth.HashLimiterParams{Concurrency: loadClients, Queue: 1})},
	} {
		b.Run(mode.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ { // -benchtime 1x: one run of the duration
				loginStorm(b, duration, mode.login, mode.limiter)
			}
		})
	}
}

// loginStorm runs the load for d and reports the latencies.
func loginStorm(b *testing.B, d time.Duration, login float64, limiter *auth.HashLimiter) {
	e := benchEnv(b)
	params := auth.DefaultPasswordParams
	v := e.variant(b, func(s *api.Server) { s.PasswordParams, s.PasswordHashing = &params, limiter })
	c := v.client(b, e.psd2App)
	c.HTTPClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients, MaxConnsPerHost: loadClients}}
	u, c := v.user(b, c, "storm@example.com")
	txs := make([]iswigo.ConnectorTransaction, 10_000)
	day := iswigo.NewDate(2020, 1, 1)
	for i := range txs {
		txs[i] = iswigo.ConnectorTransaction{ProviderID: fmt.Sprint(i), OperationDate: day.AddDays(i / 10),
			Amount: iswigo.Money{Minor: int64(-i % 10000), Currency: "EUR"}, Wording: fmt.Sprintf("CARTE %d", i%997)}
	}
	account := ingest(b, e, u.UserID, txs)
	page := "/v1/bank/accounts/" + account + "/transactions?range=0-19"
	loginBody := []byte(`{"email":"storm@example.com","password":"Str0ng!Passw0rd"}`)

	type sample struct {
		login  bool
		status int
		took   time.Duration
	}
	var mu sync.Mutex
	var samples []sample
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	b.ResetTimer()
	for i := 0; i < loadClients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			for ctx.Err() == nil {
				isLogin := rand.Float64() < login
				var req *http.Request
				if isLogin {
					req, _ = http.NewRequest("POST", v.http.URL+"/v1/authenticate", bytes.NewReader(loginBody))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-Iswigo-Signature", auth.Signature(e.psd2App.Secret, "POST", "/v1/authenticate", loginBody))
				} else {
					req, _ = http.NewRequest("GET", v.http.URL+page, nil)
					req.Header.Set("X-Iswigo-Signature", auth.Signature(e.psd2App.Secret, "GET", page, nil))
					req.Header.Set("Authorization", "Bearer "+c.Token)
				}
				req.Header.Set("X-Iswigo-App", e.psd2App.Name)
				start := time.Now()
				resp, err := c.HTTPClient.Do(req)
				status := 0
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				if ctx.Err() == nil {
					mine = append(mine, sample{isLogin, status, time.Since(start)})
				}
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	b.StopTimer()

	var pages, logins []time.Duration
	fiveXX, busy, failed := 0, 0, 0
	for _, s := range samples {
		switch {
		case s.status == 0:
			failed++
		case s.status == http.StatusServiceUnavailable && s.login:
			busy++ // the documented 503 of the limiter
		case s.status >= 500:
			fiveXX++
		case s.status != 200:
			failed++
		}
		if s.login {
			logins = append(logins, s.took)
		} else {
			pages = append(pages, s.took)
		}
	}
	pct := func(ds []time.Duration, p float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		slices.Sort(ds)
		return ds[min(len(ds)-1, int(float64(len(ds))*p))]
	}
	b.ReportMetric(float64(len(pages))/d.Seconds(), "pages/s")
	b.ReportMetric(float64(pct(pages, 0.50).Microseconds())/1000, "page-p50-ms")
	b.ReportMetric(float64(pct(pages, 0.99).Microseconds())/1000, "page-p99-ms")
	b.ReportMetric(float64(len(logins))/d.Seconds(), "logins/s")
	b.ReportMetric(float64(pct(logins, 0.99).Microseconds())/1000, "login-p99-ms")
	b.ReportMetric(float64(busy), "login-503")
	b.ReportMetric(float64(fiveXX), "other-5xx")
	b.ReportMetric(float64(failed), "failed")
	if fiveXX > 0 || failed > 0 {
		b.Errorf("%d 5xx other than the limiter's 503, %d failed requests", fiveXX, failed)
	}
}
