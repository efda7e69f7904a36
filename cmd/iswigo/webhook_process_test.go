// SPDX-License-Identifier: Apache-2.0

package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iswigo/iswigo/api"
	"github.com/iswigo/iswigo/sqldb/sqldbtest"
)

// TestWebhookAfterKill: the first delivery of an event fails, the server
// is killed (SIGKILL) during the back-off, and the restarted server
// delivers the event. (Retries that came due are moved to the queue by
// River's elected leader: the takeover waits for the dead leader's lease to
// lapse, tens of seconds.)
func TestWebhookAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills real processes")
	}
	t.Parallel()
	for _, d := range sqldbtest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			cfg := sqldbtest.Config(t, d)
			store := []string{"--data", cfg.DataDir, "--master-key", newMasterKey(t)}
			if cfg.URL != "" {
				store = append(store, "--database-url", cfg.URL)
			}
			var mu sync.Mutex
			var attempts []string
			hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				mu.Lock()
				defer mu.Unlock()
				attempts = append(attempts, r.Header.Get("X-Iswigo-Delivery-Attempt")+" "+r.Header.Get("X-Iswigo-Event-Id"))
				if len(attempts) == 1 {
					w.WriteHeader(http.StatusServiceUnavailable) // the first attempt fails
				}
			}))
			defer hook.Close()
			count := func() int { mu.Lock(); defer mu.Unlock(); return len(attempts) }
			app, secret := createApp(t, "hooked", store)
			if _, err := runCmd(t, append([]string{"webhook", "add", "--app", app, "--url", hook.URL + "/hook", "--events", "user.created"}, store...)...); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"--allow-private-webhooks", "--webhook-retry-base", "3s", "--job-timeout", "5s",
				"--job-rescue-after", "6s"}, store...)
			first := startServer(t, "first server", args...)
			newUser(t, api.NewClient(first.url(), app, secret), "hooked@example.com")
			deadline := time.Now().Add(30 * time.Second)
			for count() < 1 && time.Now().Before(deadline) {
				time.Sleep(pollEvery)
			}
			if count() != 1 {
				t.Fatalf("first attempt: %d deliveries", count())
			}
			first.kill(t) // during the back-off before attempt 2
			startServer(t, "second server", args...)
			deadline = time.Now().Add(90 * time.Second)
			for count() < 2 && time.Now().Before(deadline) {
				time.Sleep(pollEvery)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(attempts) != 2 || !strings.HasPrefix(attempts[1], "2 ") || attempts[0][2:] != attempts[1][2:] {
				t.Fatalf("deliveries after the restart: %q", attempts)
			}
		})
	}
}
