// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/iswigo/iswigo"
)

// countingWriter is a ResponseWriter that keeps only the byte count.
type countingWriter struct {
	*httptest.ResponseRecorder
	n int64
}

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkExport100k: the CSV and OFX exports of an account with 100,000
// transactions through the whole stack (no network), SQLite.
func BenchmarkExport100k(b *testing.B) {
	e := benchEnv(b)
	u, c := e.user(b, e.psd2, "bench@example.com")
	txs := make([]iswigo.ConnectorTransaction, 100_000)
	day := iswigo.NewDate(2016, 1, 1)
	for i := range txs {
		txs[i] = iswigo.ConnectorTransaction{ProviderID: fmt.Sprint(i), OperationDate: day.AddDays(i / 30),
			Amount: iswigo.Money{Minor: int64(-i % 10000), Currency: "EUR"}, Wording: fmt.Sprintf("CARTE %d", i%997)}
	}
	account := ingest(b, e, u.UserID, txs)
	target := "/v1/bank/accounts/" + account + "/transactions"
	h := e.server.Handler()
	for _, accept := range []string{"text/csv", "application/x-ofx"} {
		b.Run(accept, func(b *testing.B) {
			b.ReportAllocs()
			var size int64
			for b.Loop() {
				w := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
				req := signedRequest(e.psd2App, c.Token, target)
				req.Header.Set("Accept", accept)
				h.ServeHTTP(w, req)
				if w.Code != 200 || w.Header().Get("Content-Range") != "0-99999/100000" {
					b.Fatalf("status %d, Content-Range %q", w.Code, w.Header().Get("Content-Range"))
				}
				size = w.n
			}
			b.SetBytes(size)
			b.ReportMetric(float64(len(txs))*float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}
