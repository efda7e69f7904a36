package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo/sqldb"
)

// TestMetricsAddrAndTextLogs: with --metrics-addr the metrics are served
// there and not on the API's address; --log-format text logs as text.
func TestMetricsAddrAndTextLogs(t *testing.T) {
	store := storeArgs(t, sqldb.SQLite)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--log-format", "text"}, store...), io.Discard, stderr)
	}()
	apiRe := regexp.MustCompile(`msg=listening addr=(\S+)`)
	metricsRe := regexp.MustCompile(`msg="metrics listening" addr=(\S+)`)
	var apiAddr, metricsAddr string
	for deadline := time.Now().Add(20 * time.Second); (apiAddr == "" || metricsAddr == "") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := apiRe.FindStringSubmatch(stderr.String()); m != nil {
			apiAddr = m[1]
		}
		if m := metricsRe.FindStringSubmatch(stderr.String()); m != nil {
			metricsAddr = m[1]
		}
	}
	if apiAddr == "" || metricsAddr == "" {
		t.Fatalf("addresses not logged as text: %s", stderr.String())
	}
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get("http://" + apiAddr + "/healthz")
	if status, body := get("http://" + metricsAddr + "/metrics"); status != 200 || !strings.Contains(body, `iswigo_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`) {
		t.Fatalf("metrics address: %d %.200s", status, body)
	}
	if status, _ := get("http://" + apiAddr + "/metrics"); status != 404 {
		t.Fatalf("/metrics on the API's address: %d", status)
	}
	if strings.Contains(stderr.String(), `{"time"`) || !strings.Contains(stderr.String(), "msg=request") {
		t.Fatal("logs are not text")
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
