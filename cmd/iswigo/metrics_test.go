// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/sqldb"
)

// TestMetricsAddrAndTextLogs: with --metrics-addr the metrics are served
// there and not on the API's address; --log-format text logs as text.
func TestMetricsAddrAndTextLogs(t *testing.T) {
	store := storeArgs(t, sqldb.SQLite)
	p, addrs := serveInProcess(t, append([]string{"--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--log-format", "text"}, store...),
		`msg=listening addr=(\S+)`, `msg="metrics listening" addr=(\S+)`)
	apiAddr, metricsAddr, stderr := addrs[0], addrs[1], p.stderr
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
	if err := p.wait(t); err != nil {
		t.Fatal(err)
	}
}

// TestWidgetAddr: with --widget-addr the funnel is served at the root of
// its own listener and funnel URIs point there, as the reference's do.
func TestWidgetAddr(t *testing.T) {
	store := storeArgs(t, sqldb.SQLite)
	out, err := runCmd(t, append([]string{"app", "create", "--name", "w", "--psd2"}, store...)...)
	if err != nil {
		t.Fatal(err)
	}
	var app struct{ Name, Secret string }
	json.Unmarshal([]byte(out), &app)
	p, addrs := serveInProcess(t, append([]string{"--addr", "127.0.0.1:0", "--widget-addr", "127.0.0.1:0"}, store...), listening)
	apiAddr, stderr, ctx := addrs[0], p.stderr, context.Background()
	c := api.NewClient("http://"+apiAddr, app.Name, app.Secret)
	if _, err := c.CreateUser(ctx, "w@example.com", "Str0ng!Passw0rd"); err != nil {
		t.Fatal(err)
	}
	tok, err := c.Authenticate(ctx, "w@example.com", "Str0ng!Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.WithToken(tok.AccessToken).CreateFunnelSession(ctx, map[string]any{"action": "create bank"})
	if err != nil {
		t.Fatal(err)
	}
	root, _, ok := strings.Cut(s.URI, "?session=")
	if !ok || !strings.HasSuffix(root, "/") || strings.Contains(root, apiAddr) || strings.Count(root, "/") != 3 {
		t.Fatalf("funnel URI %s: want http://<widget-addr>/?session=…", s.URI)
	}
	for _, url := range []string{s.URI, root + "agent.js"} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", url, resp.StatusCode)
		}
	}
	if !strings.Contains(stderr.String(), `"msg":"funnel listening"`) {
		t.Fatal("funnel listener not logged")
	}
	if err := p.wait(t); err != nil {
		t.Fatal(err)
	}
}
