// SPDX-License-Identifier: Apache-2.0

package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/iswigo/iswigo"
)

// TestMetrics: after a sync and a webhook delivery, /metrics has every
// series the operator needs.
func TestMetrics(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		defer hook.Close()
		e.psd2App.WebhookURL = hook.URL + "/hook"
		if err := e.db.UpdateApp(ctx, e.psd2App); err != nil {
			t.Fatal(err)
		}
		_, c := e.user(t, e.psd2, "a@example.com")
		conn, _ := c.CreateConnection(ctx, 999, map[string]string{"login": "metrics-hector", "password": "123456"})
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		var body string
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			// /metrics is operational, not part of the API document.
			resp, err := http.Get(e.http.URL + "/metrics")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("/metrics: %v %v", resp, err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if body = string(b); strings.Contains(body, `iswigo_webhook_deliveries_total{outcome="delivered"}`) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		for _, series := range []string{
			`iswigo_http_requests_total{method="POST",route="POST /v1/connections",status="201"} 1`,
			`iswigo_http_request_duration_seconds_bucket{method="GET",route="GET /v1/connections/{id}/status"`,
			`iswigo_syncs_total{errno="0",outcome="finished"} 1`,
			`iswigo_sync_duration_seconds_count{outcome="finished"} 1`,
			`iswigo_webhook_deliveries_total{outcome="delivered"}`,
			`iswigo_jobs{kind="sync_connection",state="running"}`,
			`go_sql_open_connections{db_name="write"}`,
			`go_sql_in_use_connections{db_name="write"}`,
		} {
			if !strings.Contains(body, series) {
				t.Errorf("/metrics lacks %s", series)
			}
		}
	})
}

// TestLogsHaveNoSecrets runs a full sandbox flow and reads every log line:
// no password, secret, token, credential, step answer or funnel session id.
func TestLogsHaveNoSecrets(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		password := "Str0ng!Passw0rd"
		_, c := e.user(t, e.psd2, "logs@example.com")
		conn, err := c.CreateConnection(ctx, 999, map[string]string{"login": "sms-login-secret", "password": "123456"})
		if err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusWaitingUser))
		if _, err := c.AnswerStep(ctx, conn.ConnectionID, map[string]string{"sms": "1234"}); err != nil {
			t.Fatal(err)
		}
		waitStatus(t, c, conn.ConnectionID, isStatus(iswigo.StatusFinished))
		wrong, _ := c.CreateConnection(ctx, 999, map[string]string{"login": "another-login-secret", "password": "BadPass-secret-77"})
		waitStatus(t, c, wrong.ConnectionID, isStatus(iswigo.StatusError))
		session, err := c.CreateFunnelSession(ctx, map[string]any{"action": "create"})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(session.URI)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		logs := e.logs.String()
		if !strings.Contains(logs, `"msg":"request"`) || !strings.Contains(logs, `"request_id"`) {
			t.Fatal("no request log lines captured")
		}
		for name, secret := range map[string]string{
			"user password": password, "app secret": e.psd2App.Secret, "access token": c.Token,
			"token payload": strings.Split(c.Token, ".")[1], "login": "sms-login-secret", "other login": "another-login-secret",
			"connection password": "BadPass-secret-77", "step answer": `"1234"`, "funnel session id": session.SessionID,
		} {
			if strings.Contains(logs, secret) {
				t.Errorf("the logs contain the %s", name)
			}
		}
	})
}
