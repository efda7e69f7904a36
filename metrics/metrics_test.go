// SPDX-License-Identifier: Apache-2.0

package metrics

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// TestObserveRequestCounts: every request is counted in its series, from
// the cache or, past its bound, from the vectors.
func TestObserveRequestCounts(t *testing.T) {
	m := New()
	for range 3 {
		m.ObserveRequest("GET", "GET /v1/bank/accounts", 200, 2*time.Millisecond)
	}
	m.ObserveRequest("GET", "GET /v1/bank/accounts", 401, time.Millisecond)
	m.ObserveRequest("BREW", "", 404, time.Millisecond)
	for i := range maxCachedSeries + 10 { // client-chosen methods: more than the cache holds
		m.ObserveRequest(fmt.Sprintf("M%d", i), "", 404, time.Millisecond)
		m.ObserveRequest(fmt.Sprintf("M%d", i), "", 404, time.Millisecond)
	}
	if n := m.seriesCount.Load(); n != maxCachedSeries {
		t.Errorf("%d cached series, want the bound %d", n, maxCachedSeries)
	}
	out := scrape(t, m)
	for _, want := range []string{
		`iswigo_http_requests_total{method="GET",route="GET /v1/bank/accounts",status="200"} 3`,
		`iswigo_http_requests_total{method="GET",route="GET /v1/bank/accounts",status="401"} 1`,
		`iswigo_http_requests_total{method="BREW",route="unmatched",status="404"} 1`,
		`iswigo_http_requests_total{method="M0",route="unmatched",status="404"} 2`,
		fmt.Sprintf(`iswigo_http_requests_total{method="M%d",route="unmatched",status="404"} 2`, maxCachedSeries+9),
		`iswigo_http_request_duration_seconds_count{method="GET",route="GET /v1/bank/accounts"} 4`,
		`iswigo_http_request_duration_seconds_bucket{method="GET",route="GET /v1/bank/accounts",le="0.001"} 1`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("scrape lacks %s", want)
		}
	}
}

func BenchmarkObserveRequest(b *testing.B) {
	m := New()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.ObserveRequest("GET", "GET /v1/bank/accounts/{id}/transactions", 200, 3*time.Millisecond)
		}
	})
}
