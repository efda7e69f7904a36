// SPDX-License-Identifier: Apache-2.0

package api_test

// Benchmarks named by the issues, kept and documented in docs/benchmarks.md.
// Run: go test -run '^$' -bench . -benchtime 1x ./api/ (BenchmarkSync1000
// is long; the others take -benchtime 2s or more).

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
	"github.com/iswigo/iswigo/auth"
	"github.com/iswigo/iswigo/connector/sandbox"
	"github.com/iswigo/iswigo/sqldb"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// benchEnv is a test environment on SQLite whose clients skip the
// OpenAPI check (it would dominate the measurements).
func benchEnv(b *testing.B) *testEnv {
	e := newEnv(b, sqldbtest.Open(b, sqldb.SQLite))
	e.psd2.HTTPClient = http.DefaultClient
	return e
}

// signedRequest builds a request of c's user, signed, for the handler.
func signedRequest(app *iswigo.App, token, target string) *http.Request {
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("X-Iswigo-App", app.Name)
	req.Header.Set("X-Iswigo-Signature", auth.Signature(app.Secret, "GET", target, nil))
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

// BenchmarkAuthenticatedGet: a signed Bearer GET /v1/profile through the
// whole middleware stack (httptest, no network), on SQLite.
// Target: ≤ 50 µs/op on 2 cores.
func BenchmarkAuthenticatedGet(b *testing.B) {
	e := benchEnv(b)
	_, c := e.user(b, e.psd2, "bench@example.com")
	h := e.server.Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, signedRequest(e.psd2App, c.Token, "/v1/profile"))
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// ingest puts txs on a new account of a new connection of the user,
// outside the job engine.
func ingest(b *testing.B, e *testEnv, userID string, txs []iswigo.ConnectorTransaction) string {
	ctx := context.Background()
	e.db.Hooks = nil // no sync job: this benchmark drives the session itself
	conn := &iswigo.Connection{AppID: e.psd2App.ID, UserID: userID, ProviderID: 999, Credentials: map[string]string{"login": "bench"}}
	if err := e.db.CreateConnection(ctx, conn); err != nil {
		b.Fatal(err)
	}
	s, err := e.db.BeginSync(ctx, conn.ID, iswigo.Provider{ID: 999}, true)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.PutAccount(ctx, &iswigo.ConnectorAccount{Key: "CHK", Type: "account", Name: "Compte", Currency: "EUR"}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < len(txs); i += 10_000 {
		if err := s.PutTransactions(ctx, "CHK", txs[i:min(i+10_000, len(txs))]); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Finish(ctx, nil, true); err != nil {
		b.Fatal(err)
	}
	accounts, _, _ := e.db.FindAccounts(ctx, e.psd2App.ID, userID, iswigo.DefaultRange)
	return accounts[0].ID
}

// BenchmarkTransactionsPage: GET …/transactions?range=0-19 on an account
// with 100,000 transactions, through the whole stack. Target ≤ 300 µs/op.
func BenchmarkTransactionsPage(b *testing.B) {
	e := benchEnv(b)
	u, c := e.user(b, e.psd2, "bench@example.com")
	txs := make([]iswigo.ConnectorTransaction, 100_000)
	day := iswigo.NewDate(2016, 1, 1)
	for i := range txs {
		txs[i] = iswigo.ConnectorTransaction{ProviderID: fmt.Sprint(i), OperationDate: day.AddDays(i / 30),
			Amount: iswigo.Money{Minor: int64(-i % 10000), Currency: "EUR"}, Wording: fmt.Sprintf("CARTE %d", i%997)}
	}
	account := ingest(b, e, u.UserID, txs)
	target := "/v1/bank/accounts/" + account + "/transactions?range=0-19"
	h := e.server.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, signedRequest(e.psd2App, c.Token, target))
		if rec.Code != 200 || rec.Header().Get("Content-Range") != "0-19/100000" {
			b.Fatalf("status %d, Content-Range %q", rec.Code, rec.Header().Get("Content-Range"))
		}
	}
}

// BenchmarkDownload10MB: download throughput of a 10 MB document from the
// file store through the whole stack over loopback HTTP.
func BenchmarkDownload10MB(b *testing.B) {
	e := benchEnv(b)
	ctx := context.Background()
	u, c := e.user(b, e.psd2, "bench@example.com")
	e.db.Hooks = nil
	conn := &iswigo.Connection{AppID: e.psd2App.ID, UserID: u.UserID, ProviderID: bigDocProviderID, Credentials: map[string]string{"login": "x"}}
	if err := e.db.CreateConnection(ctx, conn); err != nil {
		b.Fatal(err)
	}
	s, err := e.db.BeginSync(ctx, conn.ID, iswigo.Provider{ID: bigDocProviderID}, true)
	if err != nil {
		b.Fatal(err)
	}
	const size = 10 << 20
	doc := &iswigo.ConnectorDocument{Key: "ten", Name: "Ten", Extension: "pdf", Mime: "application/pdf", Type: "document"}
	if err := s.PutDocument(ctx, doc, io.LimitReader(patternReader{}, size)); err != nil {
		b.Fatal(err)
	}
	s.Finish(ctx, nil, true)
	docs, _, _ := e.db.FindDocuments(ctx, iswigo.DocumentFilter{AppID: e.psd2App.ID, UserID: u.UserID, Range: iswigo.DefaultRange})
	target := "/v1/documents/" + docs[0].ID + "/download"
	b.SetBytes(size)
	for b.Loop() {
		req, _ := http.NewRequest("GET", e.http.URL+target, nil)
		for k, v := range signedUser(c, "GET", target) {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n != size {
			b.Fatalf("%d bytes", n)
		}
	}
}

// BenchmarkIngest996: documents ingested per second by a full sync of the
// Sandbox Energy provider (12 invoices and a contract, real PDFs).
func BenchmarkIngest996(b *testing.B) {
	e := benchEnv(b)
	ctx := context.Background()
	u, _ := e.user(b, e.psd2, "bench@example.com")
	e.db.Hooks = nil
	connector, _ := e.registry.Connector(sandbox.ProviderIDEnergy)
	docs := 0
	var elapsed time.Duration
	for i := 0; b.Loop(); i++ {
		conn := &iswigo.Connection{AppID: e.psd2App.ID, UserID: u.UserID, ProviderID: sandbox.ProviderIDEnergy,
			Credentials: map[string]string{"login": fmt.Sprintf("user%d@example.com", i), "password": "123456"}}
		if err := e.db.CreateConnection(ctx, conn); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		s, err := e.db.BeginSync(ctx, conn.ID, connector.Provider(), true)
		if err != nil {
			b.Fatal(err)
		}
		if err := connector.Sync(ctx, s); err != nil {
			b.Fatal(err)
		}
		if err := s.Finish(ctx, nil, true); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		docs += 13
	}
	b.ReportMetric(float64(docs)/elapsed.Seconds(), "docs/s")
}

// BenchmarkSync1000: 1,000 sandbox connections created through the API at
// once on SQLite, synced by the job engine: all must finish, none stuck.
// Run with -benchtime 1x.
func BenchmarkSync1000(b *testing.B) {
	for b.Loop() {
		e := benchEnv(b)
		ctx := context.Background()
		u, c := e.user(b, e.psd2, "bench@example.com")
		const n = 1000
		start := time.Now()
		for i := 0; i < n; i++ {
			if _, err := c.CreateConnection(ctx, 999, map[string]string{"login": fmt.Sprintf("hector%04d", i), "password": "123456"}); err != nil {
				b.Fatal(err)
			}
		}
		created := time.Since(start)
		deadline := time.Now().Add(30 * time.Minute)
		for {
			conns, total, err := e.db.FindConnections(ctx, iswigo.ConnectionFilter{AppID: e.psd2App.ID, UserID: u.UserID, Range: iswigo.Range{From: 0, To: n - 1}})
			if err != nil || total != n {
				b.Fatalf("%d connections, %v", total, err)
			}
			finished, failed := 0, 0
			for _, conn := range conns {
				switch conn.Status {
				case iswigo.StatusFinished:
					finished++
				case iswigo.StatusError:
					failed++
				}
			}
			if failed > 0 {
				b.Fatalf("%d syncs failed", failed)
			}
			if finished == n {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d finished", finished, n)
			}
			time.Sleep(200 * time.Millisecond)
		}
		elapsed := time.Since(start)
		b.ReportMetric(n/elapsed.Seconds(), "connections/s")
		b.ReportMetric(created.Seconds(), "create-s")
	}
}
