// SPDX-License-Identifier: Apache-2.0

package api_test

// BenchmarkHotPaths compares, for the hot read routes, the real stack
// (signature, Bearer token, middleware, request log, metrics) with a bare
// net/http handler that calls the store's own method for the route (so the
// very SQL the route runs: e.g. the account found with its app and user,
// then one page of transactions) and encodes the rows as JSON. Both are
// served over real HTTP on 127.0.0.1:0 in the same process, loaded by N
// closed-loop keep-alive clients in short interleaved rounds (bare, real,
// real, bare, …) so that the load of a shared machine falls on both alike.
// It prints and reports the throughput ratio (real/bare) and the p99 ratio.
// Targets: real ≥ 0.8 of bare throughput, p99 ≤ 2× bare p99.
//
// On a shared machine the rates move with the others' load; two figures
// move less and are printed too: the median of the ratios of each pair of
// neighbouring rounds (with the lowest and highest), and the ratio of the
// process's CPU time per request of each side (bare/real: the clients'
// share is the same on both sides, so this ratio is conservative).
//
//	go test -run '^$' -bench HotPaths ./api/
//	go test -run '^$' -bench HotPaths ./api/ -args -hotpaths.clients 64 -hotpaths.rounds 12 -hotpaths.round 500ms
//
// With ISWIGO_TEST_DATABASE_URL set it runs on PostgreSQL as well.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/internal/jsonlog"
	"github.com/iswigo/iswigo/internal/servertest"
	"github.com/iswigo/iswigo/mail"
	"github.com/iswigo/iswigo/mail/mailtest"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

var (
	hotClients = flag.Int("hotpaths.clients", 64, "BenchmarkHotPaths: concurrent closed-loop clients")
	hotRounds  = flag.Int("hotpaths.rounds", 12, "BenchmarkHotPaths: measured rounds of each side per route")
	hotRound   = flag.Duration("hotpaths.round", 500*time.Millisecond, "BenchmarkHotPaths: length of one round")
	hotPool    = flag.Int("hotpaths.pool", 0, "BenchmarkHotPaths: the read pool's size (sqldb.Config.MaxOpenConns; 0: the default)")
	hotSameHdr = flag.Bool("hotpaths.bare-headers", false, "BenchmarkHotPaths: send the real side's request headers (signature, token) to the bare side too, which ignores them")
	hotRoutes  = flag.String("hotpaths.routes", "", "BenchmarkHotPaths: comma-separated routes to run (transactions,accounts,status,events; empty: all)")
)

// hotRoute is one route measured: its target and the bare handler's body.
type hotRoute struct {
	name, target string
	bare         func(ctx context.Context) (any, error)
}

func BenchmarkHotPaths(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(string(d), func(b *testing.B) { benchHotPaths(b, d) })
	}
}

func benchHotPaths(b *testing.B, d sqldb.Dialect) {
	ctx := context.Background()
	cfg := sqldbtest.Config(b, d)
	cfg.MaxOpenConns = *hotPool
	db := sqldbtest.OpenConfig(b, cfg)
	smtp := mailtest.NewServer(b)
	mailer, err := mail.Open(smtp.URL(), "iswigo@example.com", "", slog.Default())
	if err != nil {
		b.Fatal(err)
	}
	// The production logger: one JSON line per request at Info (written
	// to io.Discard instead of stderr, still formatted).
	logger := slog.New(jsonlog.NewHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	stack := servertest.Start(b, db, servertest.Options{Mailer: mailer, API: func(s *api.Server) { s.Logger = logger }})
	e := &testEnv{db: db, server: stack.API, http: stack.HTTP}
	e.psd2App = e.createApp(b, "psd2-app", true)
	c := api.NewClient(e.http.URL, e.psd2App.Name, e.psd2App.Secret)
	u, err := c.CreateUser(ctx, "bench@example.com", "Str0ng!Passw0rd")
	if err != nil {
		b.Fatal(err)
	}
	tok, err := c.Authenticate(ctx, "bench@example.com", "Str0ng!Passw0rd")
	if err != nil {
		b.Fatal(err)
	}
	txs := make([]iswigo.ConnectorTransaction, 10_000)
	day := iswigo.NewDate(2016, 1, 1)
	for i := range txs {
		txs[i] = iswigo.ConnectorTransaction{ProviderID: fmt.Sprint(i), OperationDate: day.AddDays(i / 30),
			Amount: iswigo.Money{Minor: int64(-i % 10000), Currency: "EUR"}, Wording: fmt.Sprintf("CARTE %d", i%997)}
	}
	account := ingest(b, e, u.UserID, txs)
	for i := 0; i < 3; i++ { // a user with a few connections and accounts
		ingest(b, e, u.UserID, txs[:10])
	}
	conns, _, err := db.FindConnections(ctx, iswigo.ConnectionFilter{AppID: e.psd2App.ID, UserID: u.UserID, Range: iswigo.DefaultRange})
	if err != nil || len(conns) == 0 {
		b.Fatal(conns, err)
	}
	appID, userID, connID := e.psd2App.ID, u.UserID, conns[0].ID
	routes := []hotRoute{
		{"transactions", "/v1/bank/accounts/" + account + "/transactions?range=0-19", func(ctx context.Context) (any, error) {
			txs, total, err := db.FindTransactions(ctx, iswigo.TransactionFilter{AppID: appID, UserID: userID, AccountID: account,
				Range: iswigo.Range{From: 0, To: 19}})
			return map[string]any{"transactions": txs, "total": total}, err
		}},
		{"accounts", "/v1/bank/accounts", func(ctx context.Context) (any, error) {
			accounts, total, err := db.FindAccounts(ctx, appID, userID, iswigo.DefaultRange)
			return map[string]any{"accounts": accounts, "total": total}, err
		}},
		{"status", "/v1/connections/" + connID + "/status", func(ctx context.Context) (any, error) {
			return db.FindConnectionByID(ctx, appID, userID, connID)
		}},
		{"events", "/v1/events", func(ctx context.Context) (any, error) {
			events, total, err := db.FindEvents(ctx, appID, iswigo.DefaultRange)
			return map[string]any{"events": events, "total": total}, err
		}},
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc("GET /"+rt.name, func(w http.ResponseWriter, r *http.Request) {
			v, err := rt.bare(r.Context())
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			body, _ := json.Marshal(v)
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		})
	}
	bare := httptest.NewServer(mux)
	b.Cleanup(bare.Close)

	fmt.Fprintf(os.Stderr, "hotpaths %s: %d clients, %d rounds of %v per side, read pool %d, GOMAXPROCS %d, load average %s\n",
		d, *hotClients, *hotRounds, *hotRound, readPoolSize(db), runtime.GOMAXPROCS(0), loadAverage())
	for _, rt := range routes {
		if *hotRoutes != "" && !slices.Contains(strings.Split(*hotRoutes, ","), rt.name) {
			continue
		}
		b.Run(rt.name, func(b *testing.B) {
			realHeaders := http.Header{}
			realHeaders.Set("X-Iswigo-App", e.psd2App.Name)
			realHeaders.Set("X-Iswigo-Signature", auth.Signature(e.psd2App.Secret, "GET", rt.target, nil))
			needsUser := rt.name != "events"
			if needsUser {
				realHeaders.Set("Authorization", "Bearer "+tok.AccessToken)
			}
			realSide := &loadSide{url: e.http.URL + rt.target, header: realHeaders}
			bareSide := &loadSide{url: bare.URL + "/" + rt.name, header: http.Header{}}
			if *hotSameHdr {
				bareSide.header = realHeaders
			}
			for b.Loop() {
				// One warm-up round each, then interleaved measured rounds.
				bareSide.round(b, *hotClients, *hotRound/2, false)
				realSide.round(b, *hotClients, *hotRound/2, false)
				for i := 0; i < *hotRounds; i++ {
					if i%2 == 0 {
						bareSide.round(b, *hotClients, *hotRound, true)
						realSide.round(b, *hotClients, *hotRound, true)
					} else {
						realSide.round(b, *hotClients, *hotRound, true)
						bareSide.round(b, *hotClients, *hotRound, true)
					}
				}
			}
			bt, rt2 := bareSide.throughput(), realSide.throughput()
			bp, rp := bareSide.p(0.99), realSide.p(0.99)
			b.ReportMetric(bt, "bare-req/s")
			b.ReportMetric(rt2, "real-req/s")
			b.ReportMetric(rt2/bt, "throughput-ratio")
			b.ReportMetric(float64(bp.Microseconds())/1000, "bare-p99-ms")
			b.ReportMetric(float64(rp.Microseconds())/1000, "real-p99-ms")
			b.ReportMetric(float64(rp)/float64(bp), "p99-ratio")
			pairs := pairRatios(bareSide, realSide)
			cpuRatio := bareSide.cpuPerRequest() / realSide.cpuPerRequest()
			b.ReportMetric(pairs[len(pairs)/2], "median-pair-ratio")
			b.ReportMetric(cpuRatio, "cpu-ratio")
			fmt.Fprintf(os.Stderr, "hotpaths %-8s %-12s bare %7.0f req/s p99 %6.1f ms | real %7.0f req/s p99 %6.1f ms | throughput %.2f p99 ×%.2f | pairs median %.2f (%.2f–%.2f) | cpu/req %.1f/%.1f µs = %.2f | load %s\n",
				d, rt.name, bt, float64(bp.Microseconds())/1000, rt2, float64(rp.Microseconds())/1000, rt2/bt, float64(rp)/float64(bp),
				pairs[len(pairs)/2], pairs[0], pairs[len(pairs)-1],
				bareSide.cpuPerRequest()*1e6, realSide.cpuPerRequest()*1e6, cpuRatio, loadAverage())
		})
	}
}

// loadSide is one server under closed-loop load; it accumulates the
// measured rounds.
type loadSide struct {
	url     string
	header  http.Header
	client  *http.Client
	n       int
	elapsed time.Duration
	cpu     time.Duration // the process's CPU time over the measured rounds
	lat     []time.Duration
	rates   []float64 // of each measured round, in order
}

// round runs clients closed-loop for d; measured rounds are kept.
func (s *loadSide) round(b *testing.B, clients int, d time.Duration, measured bool) {
	if s.client == nil {
		s.client = &http.Client{Transport: &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2,
			DisableCompression: true}}
	}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		lat     []time.Duration
		failure error
	)
	cpu0 := processCPU()
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 1024)
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", s.url, nil)
				for k, v := range s.header {
					req.Header[k] = v
				}
				t0 := time.Now()
				resp, err := s.client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("%s: status %d", s.url, resp.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					failure = err
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failure != nil {
		b.Fatal(failure)
	}
	if measured {
		elapsed := time.Since(start)
		s.n += len(lat)
		s.elapsed += elapsed
		s.cpu += processCPU() - cpu0
		s.lat = append(s.lat, lat...)
		s.rates = append(s.rates, float64(len(lat))/elapsed.Seconds())
	}
}

// cpuPerRequest returns the process's CPU seconds per measured request.
func (s *loadSide) cpuPerRequest() float64 { return s.cpu.Seconds() / float64(s.n) }

// pairRatios returns, sorted, real's rate over bare's for each measured
// round of one next to the same round of the other.
func pairRatios(bare, real *loadSide) []float64 {
	var out []float64
	for i := range min(len(bare.rates), len(real.rates)) {
		out = append(out, real.rates[i]/bare.rates[i])
	}
	slices.Sort(out)
	return out
}

// readPoolSize returns the most connections the read pool opens.
func readPoolSize(db *sqldb.DB) int { _, read := db.Stats(); return read.MaxOpenConnections }

// loadAverage returns the 1-minute load average ("?" where unknown).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(b) == 0 {
		return "?"
	}
	for i, c := range b {
		if c == ' ' {
			return string(b[:i])
		}
	}
	return string(b)
}

func (s *loadSide) throughput() float64 { return float64(s.n) / s.elapsed.Seconds() }

// p returns the q-quantile of the measured latencies.
func (s *loadSide) p(q float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	slices.Sort(s.lat)
	return s.lat[min(len(s.lat)-1, int(q*float64(len(s.lat))))]
}
